package io.chronoprice.job.source.reader;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides when a recurring problem is logged again: the first time for a key, then at most once per period, with
 * the number of occurrences suppressed in between, so that a misbehaving exchange cannot flood the log.
 */
final class ThrottledLog {
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Map<String, long[]> byKey = new HashMap<>();

    ThrottledLog(long periodNanos, LongSupplier nanoTime) {
        this.periodNanos = periodNanos;
        this.nanoTime = nanoTime;
    }

    /** Returns the number of suppressed occurrences if this one is to be logged, else -1. */
    long shouldLog(String key) {
        long now = nanoTime.getAsLong();
        long[] entry = byKey.get(key); // {last logged, suppressed since}
        if (entry == null) {
            byKey.put(key, new long[] {now, 0});
            return 0;
        }
        if (now - entry[0] >= periodNanos) {
            long suppressed = entry[1];
            entry[0] = now;
            entry[1] = 0;
            return suppressed;
        }
        entry[1]++;
        return -1;
    }
}
