package io.chronoprice.job.scoring;

import io.chronoprice.job.registry.RegisteredModel;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each full window with every model version the registry says to score (the champion and its challengers)
 * into one raw forecast per version. The registry arrives as a broadcast stream (Flink's broadcast state pattern):
 * each snapshot is kept in broadcast state, so a restored job scores with the models it had, and a new version's
 * session is built, checked and warmed up as the snapshot arrives, then scores every following window. A version
 * whose bytes do not match its registered sha256, or that does not load or fit the job, is rejected with a logged
 * reason and counted; the others go on. ONNX Runtime sessions are native: built here, closed in {@link #close}.
 */
public class PredictFunction extends BroadcastProcessFunction<CandleWindow, RegistrySnapshot, RawForecast> {

    public static final MapStateDescriptor<String, RegistrySnapshot> REGISTRY_STATE =
            new MapStateDescriptor<>("model-registry", Types.STRING, TypeInformation.of(RegistrySnapshot.class));

    private static final Logger LOG = LoggerFactory.getLogger(PredictFunction.class);
    private static final String CURRENT = "current";

    private final RegistrySnapshot initial;
    private final String interval;
    private final int windowSize;

    private transient Map<String, Scorer> scorers;
    private transient Map<String, String> rejectedSha256;
    private transient Map<String, Scorer.Metrics> versionMetrics;
    private transient RegistrySnapshot loaded;
    private transient Counter predictions;
    private transient Counter modelsRejected;

    /** {@code initial}: the models to score until the first registry snapshot arrives (on a fresh start). */
    public PredictFunction(RegistrySnapshot initial, String interval, int windowSize) {
        this.initial = initial;
        this.interval = interval;
        this.windowSize = windowSize;
    }

    @Override
    public void open(OpenContext openContext) {
        scorers = new LinkedHashMap<>();
        rejectedSha256 = new HashMap<>();
        versionMetrics = new HashMap<>();
        MetricGroup group = getRuntimeContext().getMetricGroup();
        predictions = group.counter("predictions");
        modelsRejected = group.counter("modelsRejected");
        group.gauge("modelsLoaded", () -> scorers.size());
    }

    @Override
    public void processElement(CandleWindow window, ReadOnlyContext ctx, Collector<RawForecast> out) throws Exception {
        RegistrySnapshot current = ctx.getBroadcastState(REGISTRY_STATE).get(CURRENT);
        sync(current != null ? current : initial);
        for (Scorer scorer : scorers.values()) {
            out.collect(scorer.forecast(window));
            predictions.inc();
        }
    }

    @Override
    public void processBroadcastElement(RegistrySnapshot snapshot, Context ctx, Collector<RawForecast> out)
            throws Exception {
        if (!snapshot.known()) {
            return;
        }
        ctx.getBroadcastState(REGISTRY_STATE).put(CURRENT, snapshot);
        // Eagerly, so that a bad model is rejected (and a good one warmed up) before the next window comes.
        sync(snapshot);
    }

    /** Brings the sessions in line with {@code snapshot}: closes what left, loads what came, champion first. */
    private void sync(RegistrySnapshot snapshot) {
        if (snapshot.equals(loaded)) {
            return;
        }
        Map<String, Scorer> next = new LinkedHashMap<>();
        for (RegisteredModel m : snapshot.scored()) {
            Scorer existing = scorers.remove(m.version());
            if (existing != null && existing.sha256().equals(m.sha256())) {
                next.put(m.version(), existing);
            } else {
                if (existing != null) {
                    existing.close();
                }
                load(m).ifPresent(s -> next.put(m.version(), s));
            }
        }
        scorers.values().forEach(Scorer::close);
        scorers = next;
        loaded = snapshot;
        LOG.info("Scoring with {} (registry: {})", scorers.keySet(), snapshot.models());
    }

    private Optional<Scorer> load(RegisteredModel m) {
        if (m.sha256().equals(rejectedSha256.get(m.version()))) {
            return Optional.empty();
        }
        try {
            ModelArtifact artifact = m.artifact();
            if (!artifact.sha256().equals(m.sha256())) {
                throw new ModelException(artifact.source() + ": bytes have sha256 " + artifact.sha256()
                        + " but the registry recorded " + m.sha256());
            }
            OnnxModel model = OnnxModel.load(artifact, interval, windowSize);
            if (!model.metadata().version().equals(m.version())) {
                model.close();
                throw new ModelException(artifact.source() + ": the file says it is version "
                        + model.metadata().version());
            }
            Scorer.Metrics metrics = versionMetrics.computeIfAbsent(m.version(), this::metricsFor);
            return Optional.of(new Scorer(m.sha256(), new Predictor(model, Clock.systemUTC()), metrics));
        } catch (ModelException e) {
            rejectedSha256.put(m.version(), m.sha256());
            modelsRejected.inc();
            LOG.warn("Model {} rejected, the other models go on: {}", m.version(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Per version, registered once per subtask: a version that leaves and comes back keeps its metrics. */
    private Scorer.Metrics metricsFor(String version) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("model", version);
        return new Scorer.Metrics(
                group.counter("predictions"),
                group.histogram("inferenceLatencyMicros", new DescriptiveStatisticsHistogram(1000)));
    }

    @Override
    public void close() {
        if (scorers != null) {
            scorers.values().forEach(Scorer::close);
        }
    }

    /** One loaded version: its predictor and its metrics. */
    private record Scorer(String sha256, Predictor predictor, Metrics metrics) {

        record Metrics(Counter predictions, Histogram latencyMicros) {}

        RawForecast forecast(CandleWindow window) throws Exception {
            long start = System.nanoTime();
            RawForecast forecast = predictor.forecast(window);
            metrics.latencyMicros().update((System.nanoTime() - start) / 1000);
            metrics.predictions().inc();
            return forecast;
        }

        void close() {
            predictor.close();
        }
    }
}
