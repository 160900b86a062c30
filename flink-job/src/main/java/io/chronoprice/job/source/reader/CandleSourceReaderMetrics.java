package io.chronoprice.job.source.reader;

import io.chronoprice.job.source.exchange.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * The reader's metrics, in the group {@code candleSource} of the source reader's metric group:
 *
 * <ul>
 *   <li>{@code candlesEmitted}, {@code candlesRejected} (in total, and per reason in the subgroup
 *       {@code reason=<label>}), {@code polls}, {@code httpErrors} and {@code retries}: counters of this subtask;
 *   <li>per symbol, in the subgroup {@code symbol=<symbol>}: {@code candlesEmitted}, and {@code pollLagMs}, how far
 *       the close of the newest candle read lags behind the exchange's clock, in exchange milliseconds. In steady
 *       state it saw-tooths between the close lag and one interval more; it grows without bound when the exchange
 *       stops answering or stops producing candles.
 * </ul>
 *
 * <p>Rejected candles also count in Flink's standard numRecordsInErrors. The key/value subgroups become labels in
 * Flink's Prometheus reporter ({@code ..._candleSource_reason_candlesRejected{reason="..."}}).
 */
public final class CandleSourceReaderMetrics {
    public static final String GROUP = "candleSource";
    public static final String REASON_GROUP = "reason";
    public static final String SYMBOL_GROUP = "symbol";
    public static final String CANDLES_EMITTED = "candlesEmitted";
    public static final String CANDLES_REJECTED = "candlesRejected";
    public static final String POLLS = "polls";
    public static final String HTTP_ERRORS = "httpErrors";
    public static final String RETRIES = "retries";
    public static final String POLL_LAG_MS = "pollLagMs";

    private final MetricGroup group;
    private final Counter candlesEmitted;
    private final Counter candlesRejected;
    private final Map<RejectReason, Counter> rejectedByReason = new EnumMap<>(RejectReason.class);
    private final Counter recordsInErrors;
    private final Counter polls;
    private final Counter httpErrors;
    private final Counter retries;
    /**
     * Per symbol. Registered on first use and kept for the reader's life: the fetcher thread (lag) and the task
     * thread (emitted) both add to it, and a split reader that the fetcher manager recreates must find the metrics
     * it registered before, since registering a name twice is a collision.
     */
    private final Map<String, SymbolMetrics> bySymbol = new ConcurrentHashMap<>();

    public CandleSourceReaderMetrics(SourceReaderMetricGroup readerGroup) {
        this.group = readerGroup.addGroup(GROUP);
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

    void candleEmitted(String symbol) {
        candlesEmitted.inc();
        symbol(symbol).emitted.inc();
    }

    /**
     * After each successful poll of a series that has emitted a candle: the close time of its newest candle and
     * what the reader's exchange clock knew then, from which the lag gauge extrapolates when polls stop.
     */
    void polled(String symbol, long newestCloseMs, ExchangeClock.Reading clock, LongSupplier nanoTime) {
        symbol(symbol).view = new SeriesView(newestCloseMs, clock, nanoTime);
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

    private SymbolMetrics symbol(String symbol) {
        return bySymbol.computeIfAbsent(symbol, s -> new SymbolMetrics(group.addGroup(SYMBOL_GROUP, s)));
    }

    /** The newest close a series has read and the exchange clock's reading at that poll. */
    private record SeriesView(long newestCloseMs, ExchangeClock.Reading clock, LongSupplier nanoTime) {
        long lagMs() {
            return Math.max(0, clock.exchangeMsAt(nanoTime.getAsLong()) - newestCloseMs);
        }
    }

    private static final class SymbolMetrics {
        final Counter emitted;
        volatile SeriesView view;

        SymbolMetrics(MetricGroup group) {
            this.emitted = group.counter(CANDLES_EMITTED);
            // Read by the metric reporter's thread; 0 until the series has been polled after its first candle.
            group.gauge(POLL_LAG_MS, (Gauge<Long>) () -> {
                SeriesView v = view;
                return v == null ? 0L : v.lagMs();
            });
        }
    }
}
