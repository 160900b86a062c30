package io.chronoprice.job.scoring;

import ai.onnxruntime.OrtException;
import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.features.FeatureSpec;
import io.chronoprice.job.features.WindowVolatility;
import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;

/**
 * The scoring step without Flink around it: window -> features -> model -> raw forecast. The model's outputs
 * are quantiles of the next log-return relative to the window's last close, in the model's output units,
 * which the feature spec turns into log-returns (a regime-free model's unit is the window's volatility scale).
 */
public final class Predictor implements AutoCloseable {

    private final OnnxModel model;
    private final FeatureSpec spec;
    private final Clock clock;
    private final float[] input;

    public Predictor(OnnxModel model, Clock clock) {
        this.model = model;
        this.spec = model.featureSpec();
        this.clock = clock;
        this.input = new float[model.inputSize()];
    }

    public ModelMetadata metadata() {
        return model.metadata();
    }

    public RawForecast forecast(CandleWindow window) throws OrtException {
        Candle[] candles = window.candles();
        double unit = spec.computeInto(candles, input, 0);
        float[] q = model.score(input, 1)[0];
        Candle last = window.last();
        return new RawForecast(
                last.exchange(),
                last.symbol(),
                last.interval(),
                last.openTimeMs(),
                last.openTimeMs() + CandleInterval.fromCode(last.interval()).millis(),
                model.metadata().version(),
                last.close(),
                q[0] * unit,
                q[1] * unit,
                q[2] * unit,
                WindowVolatility.scale(candles),
                WindowVolatility.rollingSigma(candles),
                WindowVolatility.ewmaSigma(candles),
                clock.millis());
    }

    @Override
    public void close() {
        model.close();
    }
}
