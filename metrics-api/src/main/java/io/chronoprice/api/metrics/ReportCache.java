package io.chronoprice.api.metrics;

import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code /metrics/model} reports computed in the last {@code cache-ttl} (default 1 s), served again to the same
 * question. A report changes when a prediction or candle of its series is written, once a candle interval, while
 * dashboards and pages ask for it many times a second between; so under load each question costs the database once
 * per second instead of once per request. A report is at most that much older than the rows. Keys are validated
 * series, windows and versions, and the cache holds at most {@code cache-entries} of them.
 */
@Singleton
class ReportCache {

    record Key(SeriesKey series, Window window, @Nullable String modelVersion) {}

    private record Entry(long computedAtNanos, MetricsReport report) {}

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    @Inject
    ReportCache(MetricsProperties properties) {
        this(properties, System::nanoTime);
    }

    ReportCache(MetricsProperties properties, LongSupplier nanoTime) {
        this.ttlNanos = properties.cacheTtl().toNanos();
        this.maxEntries = properties.cacheEntries();
        this.nanoTime = nanoTime;
    }

    MetricsReport get(Key key, Supplier<MetricsReport> compute) {
        if (ttlNanos <= 0) {
            return compute.get();
        }
        // Taken before computing: a report counts as old as the rows it may have read.
        long now = nanoTime.getAsLong();
        Entry cached = entries.get(key);
        if (cached != null && now - cached.computedAtNanos() < ttlNanos) {
            return cached.report();
        }
        MetricsReport report = compute.get();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> now - e.computedAtNanos() >= ttlNanos);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(now, report));
        return report;
    }

    int size() {
        return entries.size();
    }
}
