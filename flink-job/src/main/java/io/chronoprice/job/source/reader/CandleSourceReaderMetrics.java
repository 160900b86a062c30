package io.chronoprice.job.source.reader;

import io.chronoprice.job.source.exchange.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * The reader's metrics, in the group {@code candleSource} of the source reader's metric group: candlesEmitted,
 * candlesRejected (in total, and per reason in the subgroup {@code reason=<label>}), polls, httpErrors and retries.
 * Rejected candles also count in Flink's standard numRecordsInErrors.
 */
public final class CandleSourceReaderMetrics {
    public static final String GROUP = "candleSource";
    public static final String REASON_GROUP = "reason";
    public static final String CANDLES_EMITTED = "candlesEmitted";
    public static final String CANDLES_REJECTED = "candlesRejected";
    public static final String POLLS = "polls";
    public static final String HTTP_ERRORS = "httpErrors";
    public static final String RETRIES = "retries";

    private final Counter candlesEmitted;
    private final Counter candlesRejected;
    private final Map<RejectReason, Counter> rejectedByReason = new EnumMap<>(RejectReason.class);
    private final Counter recordsInErrors;
    private final Counter polls;
    private final Counter httpErrors;
    private final Counter retries;

    public CandleSourceReaderMetrics(SourceReaderMetricGroup readerGroup) {
        MetricGroup group = readerGroup.addGroup(GROUP);
        this.candlesEmitted = group.counter(CANDLES_EMITTED);
        this.candlesRejected = group.counter(CANDLES_REJECTED);
        for (RejectReason reason : RejectReason.values()) {
            rejectedByReason.put(
                    reason, group.addGroup(REASON_GROUP, reason.label()).counter(CANDLES_REJECTED));
        }
        this.recordsInErrors = readerGroup.getNumRecordsInErrorsCounter();
        this.polls = group.counter(POLLS);
        this.httpErrors = group.counter(HTTP_ERRORS);
        this.retries = group.counter(RETRIES);
    }

    void candleEmitted() {
        candlesEmitted.inc();
    }

    void rejected(RejectReason reason) {
        candlesRejected.inc();
        rejectedByReason.get(reason).inc();
        recordsInErrors.inc();
    }

    void poll() {
        polls.inc();
    }

    void httpError() {
        httpErrors.inc();
    }

    void retry() {
        retries.inc();
    }
}
