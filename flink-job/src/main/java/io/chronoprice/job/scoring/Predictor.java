package io.chronoprice.job.scoring;

import ai.onnxruntime.OrtException;
import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.features.FeatureSpec;
import io.chronoprice.job.features.FeaturesV2;
import io.chronoprice.job.features.WindowVolatility;
import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;
import java.util.Arrays;

/**
 * The scoring step without Flink around it: window -> features -> model -> raw forecast. The model's outputs
 * are quantiles of the next log-return relative to the window's last close, in the model's output units,
 * which the feature spec turns into log-returns (a regime-free model's unit is the window's volatility scale).
 */
public final class Predictor implements AutoCloseable {

    private final OnnxModel model;
    private final FeatureSpec spec;
    private final Clock clock;
    private final int modelBatch;
    private final float[] input;

    /** Scores one window per model call. */
    public Predictor(OnnxModel model, Clock clock) {
        this(model, clock, 1);
    }

    /**
     * Scores up to {@code modelBatch} windows per model call, and always calls the model with exactly that many,
     * the unused ones zero. ONNX Runtime's kernels round differently for different batch sizes (in the last bit of
     * a float), but a window's result at one batch size does not depend on its place in the batch or on the other
     * windows (PredictorTest). So a fixed batch size keeps the forecasts bit-for-bit the same however the windows
     * happen to be grouped, and a replay after a restore writes exactly the rows the first run wrote.
     */
    public Predictor(OnnxModel model, Clock clock, int modelBatch) {
        this.model = model;
        this.spec = model.featureSpec();
        this.clock = clock;
        this.modelBatch = modelBatch;
        this.input = new float[modelBatch * model.inputSize()];
    }

    public ModelMetadata metadata() {
        return model.metadata();
    }

    public RawForecast forecast(CandleWindow window) throws OrtException {
        return forecast(new CandleWindow[] {window}, 1)[0];
    }

    /** One raw forecast per window of {@code windows[0..count)}, scored by the model in one call. */
    public RawForecast[] forecast(CandleWindow[] windows, int count) throws OrtException {
        if (count < 1 || count > modelBatch) {
            throw new IllegalArgumentException("1.." + modelBatch + " windows per call, not " + count);
        }
        int size = model.inputSize();
        double[] units = new double[count];
        for (int i = 0; i < count; i++) {
            units[i] = spec.computeInto(windows[i].candles(), input, i * size);
        }
        Arrays.fill(input, count * size, input.length, 0f);
        float[][] q = model.score(input, modelBatch);
        long now = clock.millis();
        RawForecast[] forecasts = new RawForecast[count];
        for (int i = 0; i < count; i++) {
            forecasts[i] = rawForecast(windows[i], q[i], units[i], now);
        }
        return forecasts;
    }

    private RawForecast rawForecast(CandleWindow window, float[] q, double unit, long createdAtMs) {
        Candle[] candles = window.candles();
        Candle last = window.last();
        double[] returns = WindowVolatility.logReturns(candles);
        // A regime-free model's output unit is the window's scale, which the features have just computed.
        double scale = FeaturesV2.OUTPUT_UNITS.equals(spec.outputUnits()) ? unit : WindowVolatility.scale(candles);
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
                scale,
                WindowVolatility.rollingSigma(returns),
                WindowVolatility.ewmaSigma(returns),
                createdAtMs);
    }

    @Override
    public void close() {
        model.close();
    }
}
