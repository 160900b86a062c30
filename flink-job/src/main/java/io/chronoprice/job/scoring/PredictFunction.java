package io.chronoprice.job.scoring;

import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Scores each full window with the ONNX model into a raw forecast (the online layers come next). The ONNX Runtime session is native and not serializable:
 * the function ships the model's bytes and builds its session in {@link #open}, checked and warmed up,
 * and releases it in {@link #close}. Metrics, per model version: {@code model.<version>.predictions} and the
 * {@code inferenceLatencyMicros} histogram.
 */
public class PredictFunction extends RichMapFunction<CandleWindow, RawForecast> {

    /** Metrics of the operator, in the subgroup {@code model=<version>}. */
    public static final String MODEL_GROUP = "model";

    public static final String INFERENCE_LATENCY_MICROS = "inferenceLatencyMicros";
    public static final String PREDICTIONS = "predictions";

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
        // Per model version (a label in Prometheus), so that a dashboard tells which model served and how fast.
        MetricGroup model = getRuntimeContext()
                .getMetricGroup()
                .addGroup(MODEL_GROUP, predictor.metadata().version());
        // The latest 1000 inferences of this subtask; Flink's Prometheus reporter exports their quantiles.
        latencyMicros = model.histogram(INFERENCE_LATENCY_MICROS, new DescriptiveStatisticsHistogram(1000));
        predictions = model.counter(PREDICTIONS);
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
