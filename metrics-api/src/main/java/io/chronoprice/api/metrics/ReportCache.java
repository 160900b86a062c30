package io.chronoprice.api.metrics;

import io.chronoprice.api.symbols.SeriesKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code /metrics/model} reports computed before, served again to the same question for as long as they are
 * current. A report changes only when a prediction, a candle or a registry entry of its exchange is written, once a
 * candle interval, while dashboards and pages ask for it many times a second between. While the API hears of the
 * writes ({@link WrittenExchanges}), a report is served until its exchange is written (or {@code cache-max-age} has
 * passed, should a write go unheard): so under load each question costs the database once per write of its
 * exchange, however many questions there are, and never answers from rows older than the last commit. While it
 * does not hear them, a report is served for {@code cache-ttl} (default 1 s). Either way a report may also be older
 * by one computation while it is being replaced. Keys are validated series, windows and versions, and the cache
 * holds at most {@code cache-entries} of them. {@code chronoprice.report.computations} counts the reports computed,
 * which against the requests gives the cache's hit rate.
 */
@Singleton
class ReportCache implements MeterBinder {

    static final String COMPUTATIONS = "chronoprice.report.computations";

    record Key(SeriesKey series, Window window, @Nullable String modelVersion) {}

    /** {@code stamp}: its exchange's {@link WrittenExchanges#stamp} when the report's computation began. */
    private record Entry(long computedAtNanos, long stamp, MetricsReport report) {}

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, CompletableFuture<MetricsReport>> computing = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final long maxAgeNanos;
    private final int maxEntries;
    private final WrittenExchanges writes;
    private final LongSupplier nanoTime;
    private final LongAdder computations = new LongAdder();

    @Inject
    ReportCache(MetricsProperties properties, WrittenExchanges writes) {
        this(properties, writes, System::nanoTime);
    }

    ReportCache(MetricsProperties properties, WrittenExchanges writes, LongSupplier nanoTime) {
        this.ttlNanos = properties.cacheTtl().toNanos();
        this.maxAgeNanos = properties.cacheMaxAge().toNanos();
        this.maxEntries = properties.cacheEntries();
        this.writes = writes;
        this.nanoTime = nanoTime;
    }

    MetricsReport get(Key key, Supplier<MetricsReport> compute) {
        // A zero TTL turns the cache off, heard writes or not (the bench's "uncached" figures).
        if (ttlNanos <= 0) {
            computations.increment();
            return compute.get();
        }
        // Taken before computing: a report counts as old as the rows it may have read.
        long now = nanoTime.getAsLong();
        long stamp = writes.stamp(key.series().exchange());
        Entry cached = entries.get(key);
        if (cached != null && current(cached, now, stamp)) {
            return cached.report();
        }
        // One computation per question at a time. While it runs, the others get the report it replaces if there is
        // one (behind by at most that computation), else wait for it: when a report expires under load, the requests
        // do not all compute it at once and queue for the database's connections.
        CompletableFuture<MetricsReport> mine = new CompletableFuture<>();
        CompletableFuture<MetricsReport> running = computing.putIfAbsent(key, mine);
        if (running != null) {
            return cached != null ? cached.report() : await(running);
        }
        try {
            computations.increment();
            MetricsReport report = compute.get();
            store(key, new Entry(now, stamp, report), now);
            mine.complete(report);
            return report;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            computing.remove(key, mine);
        }
    }

    private boolean current(Entry entry, long now, long stamp) {
        long age = now - entry.computedAtNanos();
        return writes.listening() ? entry.stamp() == stamp && age < maxAgeNanos : age < ttlNanos;
    }

    private void store(Key key, Entry entry, long now) {
        if (entries.size() >= maxEntries) {
            entries.entrySet()
                    .removeIf(e -> !current(
                            e.getValue(), now, writes.stamp(e.getKey().series().exchange())));
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, entry);
    }

    private static MetricsReport await(CompletableFuture<MetricsReport> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            // The same failure the computing request got (e.g. an unknown symbol's 404).
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(COMPUTATIONS, computations, LongAdder::sum)
                .description("/metrics/model reports computed (a request the cache answered computes none)")
                .register(registry);
    }

    long computations() {
        return computations.sum();
    }

    int size() {
        return entries.size();
    }
}
