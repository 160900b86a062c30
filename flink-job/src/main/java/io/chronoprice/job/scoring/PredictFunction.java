package io.chronoprice.job.scoring;

import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Scores each full window with the ONNX model into a raw forecast (the online layers come next). The ONNX Runtime session is native and not serializable:
 * the function ships the model's bytes and builds its session in {@link #open}, checked and warmed up,
 * and releases it in {@link #close}.
 */
public class PredictFunction extends RichMapFunction<CandleWindow, RawForecast> {

    private final ModelArtifact artifact;
    private final String interval;
    private final int windowSize;

    private transient Predictor predictor;
    private transient Histogram latencyMicros;
    private transient Counter predictions;

    public PredictFunction(ModelArtifact artifact, String interval, int windowSize) {
        this.artifact = artifact;
        this.interval = interval;
        this.windowSize = windowSize;
    }

    @Override
    public void open(OpenContext openContext) {
        predictor = new Predictor(OnnxModel.load(artifact, interval, windowSize), Clock.systemUTC());
        latencyMicros = getRuntimeContext()
                .getMetricGroup()
                .histogram("inferenceLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        predictions = getRuntimeContext().getMetricGroup().counter("predictions");
    }

    @Override
    public RawForecast map(CandleWindow window) throws Exception {
        long start = System.nanoTime();
        RawForecast forecast = predictor.forecast(window);
        latencyMicros.update((System.nanoTime() - start) / 1000);
        predictions.inc();
        return forecast;
    }

    @Override
    public void close() {
        if (predictor != null) {
            predictor.close();
        }
    }
}
