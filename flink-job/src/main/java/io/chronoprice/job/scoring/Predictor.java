package io.chronoprice.job.scoring;

import ai.onnxruntime.OrtException;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.candle.CandleInterval;
import io.chronoprice.job.features.WindowFeatures;
import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;

/**
 * The scoring step without Flink around it: window -> features -> model -> prediction row. The model's
 * quantiles are log-returns of the next close relative to the window's last close, so the predicted close
 * is last close x exp(q0.5) and the 80 % interval is [last close x exp(q0.1), last close x exp(q0.9)].
 */
public final class Predictor implements AutoCloseable {

    private final OnnxModel model;
    private final Clock clock;
    private final float[] input;

    public Predictor(OnnxModel model, Clock clock) {
        this.model = model;
        this.clock = clock;
        this.input = new float[model.metadata().windowSize() * WindowFeatures.COUNT];
    }

    public ModelMetadata metadata() {
        return model.metadata();
    }

    public Prediction predict(CandleWindow window) throws OrtException {
        WindowFeatures.computeInto(window.candles(), input, 0);
        float[] q = model.score(input, 1)[0];
        Candle last = window.last();
        double lastClose = last.close();
        return new Prediction(
                last.exchange(),
                last.symbol(),
                last.interval(),
                last.openTimeMs() + CandleInterval.fromCode(last.interval()).millis(),
                model.metadata().version(),
                lastClose * Math.exp(q[1]),
                lastClose * Math.exp(q[0]),
                lastClose * Math.exp(q[2]),
                lastClose,
                last.openTimeMs(),
                clock.millis());
    }

    @Override
    public void close() {
        model.close();
    }
}
