package io.chronoprice.job.scoring;

import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.window.CandleWindow;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each full window with every model version the registry says to score (the champion and its challengers)
 * into one raw forecast per version, in micro-batches.
 *
 * <p>The registry arrives on the second input, broadcast to every subtask, and is kept in broadcast state under
 * {@link #REGISTRY_STATE} (the broadcast state pattern, written out because Flink's broadcast function has no
 * hook to flush a batch): a restored job scores with the models it had. A job without registry updates uses
 * {@link FixedModelsPredictOperator}, which takes the windows alone.
 *
 * <p>Windows are buffered and scored together, because one ONNX Runtime call for 64 windows costs about what
 * three calls for one window do (BENCHMARKS.md). Every call has the full batch size, padded, so that a forecast
 * does not depend on how windows happened to be grouped (see {@link Predictor}). A batch is scored when it holds {@link ScoreBatching#maxBatch}
 * windows, when its first window has waited {@link ScoreBatching#maxWaitMs} of processing time, and before anything that must not overtake it: a registry
 * change, a watermark, a checkpoint barrier, the end of input. So a backfill or backtest, whose windows arrive
 * back to back, is scored in full batches, while a live window, alone in its minute, waits at most
 * that long. Nothing is buffered across a checkpoint, so the buffer needs no state.
 */
public class PredictOperator extends AbstractStreamOperator<RawForecast>
        implements TwoInputStreamOperator<CandleWindow, RegistrySnapshot, RawForecast>, BoundedMultiInput {

    public static final MapStateDescriptor<String, RegistrySnapshot> REGISTRY_STATE =
            new MapStateDescriptor<>("model-registry", Types.STRING, TypeInformation.of(RegistrySnapshot.class));

    private static final Logger LOG = LoggerFactory.getLogger(PredictOperator.class);
    private static final String CURRENT = "current";

    private final RegistrySnapshot initial;
    private final String interval;
    private final int windowSize;
    private final ScoreBatching batching;

    private transient BroadcastState<String, RegistrySnapshot> registry;
    private transient ModelSet models;
    private transient CandleWindow[] pending;
    /** The windows' event times (their last candle's open time), carried over to their forecasts. */
    private transient long[] pendingTimestamps;

    private transient int pendingCount;
    private transient boolean flushScheduled;
    private transient Counter predictions;
    private transient Histogram batchSizes;
    private transient long windowsScored;
    private transient long batchesScored;

    /** {@code initial}: the models to score until the first registry snapshot arrives (on a fresh start). */
    public PredictOperator(RegistrySnapshot initial, String interval, int windowSize, ScoreBatching batching) {
        this.initial = initial;
        this.interval = interval;
        this.windowSize = windowSize;
        this.batching = batching;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        registry = context.getOperatorStateStore().getBroadcastState(REGISTRY_STATE);
    }

    @Override
    public void open() throws Exception {
        super.open();
        models = new ModelSet(interval, windowSize, batching.maxBatch(), getMetricGroup());
        pending = new CandleWindow[batching.maxBatch()];
        pendingTimestamps = new long[batching.maxBatch()];
        predictions = getMetricGroup().counter("predictions");
        batchSizes = getMetricGroup().histogram("scoringBatchSize", new DescriptiveStatisticsHistogram(1000));
        RegistrySnapshot current = registry.get(CURRENT);
        models.sync(current != null ? current : initial);
    }

    @Override
    public void processElement1(StreamRecord<CandleWindow> element) throws Exception {
        pending[pendingCount] = element.getValue();
        pendingTimestamps[pendingCount++] = element.getTimestamp();
        if (pendingCount == batching.maxBatch()) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long due = getProcessingTimeService().getCurrentProcessingTime() + batching.maxWaitMs();
            getProcessingTimeService().registerTimer(due, time -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    @Override
    public void processElement2(StreamRecord<RegistrySnapshot> element) throws Exception {
        RegistrySnapshot snapshot = element.getValue();
        if (!snapshot.known()) {
            return;
        }
        // The windows that came before the change are scored by the models they came to.
        flush();
        registry.put(CURRENT, snapshot);
        // Eagerly, so that a bad model is rejected (and a good one warmed up) before the next window comes.
        models.sync(snapshot);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** Scores the pending windows with every loaded version and emits, per window, the versions in order. */
    private void flush() throws Exception {
        int count = pendingCount;
        if (count == 0) {
            return;
        }
        List<ModelSet.Scorer> scorers = models.scorers();
        RawForecast[][] byVersion = new RawForecast[scorers.size()][];
        for (int v = 0; v < byVersion.length; v++) {
            byVersion[v] = scorers.get(v).forecast(pending, count);
        }
        for (int i = 0; i < count; i++) {
            for (RawForecast[] forecasts : byVersion) {
                output.collect(new StreamRecord<>(forecasts[i], pendingTimestamps[i]));
            }
            pending[i] = null;
        }
        pendingCount = 0;
        predictions.inc((long) count * byVersion.length);
        batchSizes.update(count);
        windowsScored += count;
        batchesScored++;
    }

    @Override
    public void close() throws Exception {
        if (batchesScored > 0) {
            LOG.info(
                    "Scored {} windows in {} batches ({} windows per batch on average)",
                    windowsScored,
                    batchesScored,
                    String.format("%.1f", (double) windowsScored / batchesScored));
        }
        if (models != null) {
            models.close();
        }
        super.close();
    }
}
