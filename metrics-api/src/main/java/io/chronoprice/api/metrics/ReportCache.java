package io.chronoprice.api.metrics;

import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code /metrics/model} reports computed in the last {@code cache-ttl} (default 1 s), served again to the same
 * question. A report changes when a prediction or candle of its series is written, once a candle interval, while
 * dashboards and pages ask for it many times a second between; so under load each question costs the database once
 * per second instead of once per request. A report is at most that much older than the rows, plus one computation
 * while it is being replaced. Keys are validated series, windows and versions, and the cache holds at most
 * {@code cache-entries} of them.
 */
@Singleton
class ReportCache {

    record Key(SeriesKey series, Window window, @Nullable String modelVersion) {}

    private record Entry(long computedAtNanos, MetricsReport report) {}

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, CompletableFuture<MetricsReport>> computing = new ConcurrentHashMap<>();
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
        // One computation per question at a time. While it runs, the others get the expired report if there is one
        // (older than the TTL by at most one computation), else wait for it: when a report expires under load, the
        // requests do not all compute it at once and queue for the database's connections.
        CompletableFuture<MetricsReport> mine = new CompletableFuture<>();
        CompletableFuture<MetricsReport> running = computing.putIfAbsent(key, mine);
        if (running != null) {
            return cached != null ? cached.report() : await(running);
        }
        try {
            MetricsReport report = compute.get();
            store(key, new Entry(now, report), now);
            mine.complete(report);
            return report;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            computing.remove(key, mine);
        }
    }

    private void store(Key key, Entry entry, long now) {
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> now - e.computedAtNanos() >= ttlNanos);
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

    int size() {
        return entries.size();
    }
}
