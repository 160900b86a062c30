package io.chronoprice.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the API has heard of the database's writes (migration V15's notifications, through
 * {@link RowsWrittenListener}): per exchange, a stamp that grows with every write of its rows or of the registry. A
 * report computed from rows read after its exchange's stamp was taken is current for as long as the stamp stays the
 * same, since every later write raises it once committed. The stamps only count while {@link #listening()}: the
 * notifications sent while nobody listens are lost, so a listener that starts (or starts again) raises every stamp.
 * {@code chronoprice.report.cache.listening} is 1 while the writes are heard, 0 while the cache falls back to its TTL.
 */
@Singleton
class WrittenExchanges implements MeterBinder {

    static final String LISTENING = "chronoprice.report.cache.listening";

    /**
     * Exchanges tracked one by one at most: live exchanges and backtest labels are few. A write of an exchange past
     * that many raises every stamp instead, which renews more reports than it needs to but never too few.
     */
    static final int MAX_EXCHANGES = 10_000;

    /** Raised by a write that concerns every exchange (a registry change), and by every (re)start of listening. */
    private final AtomicLong everything = new AtomicLong();

    private final ConcurrentHashMap<String, AtomicLong> byExchange = new ConcurrentHashMap<>();
    private volatile boolean listening;

    /** The exchange's stamp: take it before reading the rows a result is computed from. */
    long stamp(String exchange) {
        AtomicLong own = byExchange.get(exchange);
        // Both counts only grow, so their sum grows with either: a write after this read gives a larger sum.
        return everything.get() + (own == null ? 0 : own.get());
    }

    /** Rows of {@code exchange} were written; an empty exchange means every exchange's results may have changed. */
    void written(String exchange) {
        AtomicLong own = exchange.isEmpty() ? null : byExchange.get(exchange);
        if (own == null && !exchange.isEmpty() && byExchange.size() < MAX_EXCHANGES) {
            own = byExchange.computeIfAbsent(exchange, e -> new AtomicLong());
        }
        // No count is ever removed or reset, so no stamp can come back to a value it had.
        (own != null ? own : everything).incrementAndGet();
    }

    int tracked() {
        return byExchange.size();
    }

    /** Whether writes are heard now; a start raises every stamp, since the writes before it went unheard. */
    void listening(boolean now) {
        if (now) {
            everything.incrementAndGet();
        }
        listening = now;
    }

    boolean listening() {
        return listening;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(LISTENING, this, w -> w.listening() ? 1 : 0)
                .description("1 while the API hears of the database's writes and keeps each /metrics/model report until"
                        + " its exchange is written; 0 while it keeps them for the cache TTL")
                .register(registry);
    }
}
