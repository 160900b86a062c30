package io.chronoprice.job.scoring;

import io.chronoprice.job.registry.RegisteredModel;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions a scoring subtask holds open, kept in line with the registry: a new version's session is
 * built, checked and warmed up when a snapshot names it, a version that leaves is closed. A version whose bytes
 * do not match its registered sha256, or that does not load or fit the job, is rejected with a logged reason and
 * counted (once per sha256); the others go on. ONNX Runtime sessions are native: {@link #close} releases them.
 */
final class ModelSet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSet.class);

    private final String interval;
    private final int windowSize;
    private final int modelBatch;
    private final MetricGroup metrics;
    private final Counter modelsRejected;
    private final Map<String, String> rejectedSha256 = new HashMap<>();
    private final Map<String, Scorer.Metrics> versionMetrics = new HashMap<>();
    private Map<String, Scorer> scorers = new LinkedHashMap<>();
    private RegistrySnapshot loaded;

    /** {@code modelBatch}: how many windows every model call scores (see {@link Predictor}). */
    ModelSet(String interval, int windowSize, int modelBatch, MetricGroup metrics) {
        this.interval = interval;
        this.windowSize = windowSize;
        this.modelBatch = modelBatch;
        this.metrics = metrics;
        this.modelsRejected = metrics.counter("modelsRejected");
        metrics.gauge("modelsLoaded", () -> scorers.size());
    }

    /** The loaded versions, champion first. */
    List<Scorer> scorers() {
        return new ArrayList<>(scorers.values());
    }

    /** Brings the sessions in line with {@code snapshot}: closes what left, loads what came, champion first. */
    void sync(RegistrySnapshot snapshot) {
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
            Scorer.Metrics perVersion = versionMetrics.computeIfAbsent(m.version(), this::metricsFor);
            return Optional.of(new Scorer(m.sha256(), new Predictor(model, Clock.systemUTC(), modelBatch), perVersion));
        } catch (ModelException e) {
            rejectedSha256.put(m.version(), m.sha256());
            modelsRejected.inc();
            LOG.warn("Model {} rejected, the other models go on: {}", m.version(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Per version, registered once per subtask: a version that leaves and comes back keeps its metrics. */
    private Scorer.Metrics metricsFor(String version) {
        MetricGroup group = metrics.addGroup("model", version);
        return new Scorer.Metrics(
                group.counter("predictions"),
                group.histogram("inferenceLatencyMicros", new DescriptiveStatisticsHistogram(1000)));
    }

    @Override
    public void close() {
        scorers.values().forEach(Scorer::close);
        scorers = new LinkedHashMap<>();
        loaded = null;
    }

    /** One loaded version: its predictor and its metrics. */
    record Scorer(String sha256, Predictor predictor, Metrics metrics) {

        record Metrics(Counter predictions, Histogram latencyMicros) {}

        /**
         * Scores {@code windows[0..count)} in one model call. The latency histogram gets one value per window, the
         * call's time divided by its windows, so that it counts what the predictions counter counts.
         */
        RawForecast[] forecast(CandleWindow[] windows, int count) throws Exception {
            long start = System.nanoTime();
            RawForecast[] forecasts = predictor.forecast(windows, count);
            long perWindowMicros = (System.nanoTime() - start) / 1000 / count;
            for (int i = 0; i < count; i++) {
                metrics.latencyMicros().update(perWindowMicros);
            }
            metrics.predictions().inc(count);
            return forecasts;
        }

        void close() {
            predictor.close();
        }
    }
}
