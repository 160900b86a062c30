package io.chronoprice.job.source.reader;

import java.util.function.LongSupplier;

/**
 * The exchange's clock as seen from this JVM: the last server time read, and the rate at which exchange time
 * passes per wall-clock time (1 for a real exchange; 60 or 600 for an accelerated replay; 0 for a parked one), so
 * that waits for a candle close in exchange time are converted into the right wall-clock waits.
 */
final class ExchangeClock {
    /** The shortest wall-clock baseline over which a rate is measured; shorter ones are dominated by latency. */
    private static final long MIN_BASELINE_NANOS = 1_000_000_000L;

    /** The baseline is restarted after this long so that a changed replay speed is picked up. */
    private static final long MAX_BASELINE_NANOS = 60_000_000_000L;

    /** How long an estimate is trusted before the server time is read again. */
    static final long RESYNC_NANOS = 10_000_000_000L;

    private final LongSupplier nanoTime;

    private boolean synced;
    private long anchorWallNanos;
    private long anchorServerMs;
    private long lastWallNanos;
    private long lastServerMs;
    private double rate = 1.0;
    private volatile Reading reading;

    /**
     * The clock's state after a server time was read, immutable so that another thread (the metric reporter) can
     * extrapolate from it.
     */
    record Reading(long serverMs, long wallNanos, double rate) {
        /** The estimated exchange time at the wall-clock {@code nanoTime}. */
        long exchangeMsAt(long nanoTime) {
            return serverMs + (long) ((nanoTime - wallNanos) / 1_000_000.0 * rate);
        }
    }

    ExchangeClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Records a server time read just now. */
    void observe(long serverMs) {
        long now = nanoTime.getAsLong();
        if (!synced || serverMs < lastServerMs) {
            // First reading, or the clock went backwards (a restarted replay): start a new baseline.
            anchorWallNanos = now;
            anchorServerMs = serverMs;
            synced = true;
        } else if (now - anchorWallNanos >= MIN_BASELINE_NANOS) {
            rate = Math.max(0.0, (serverMs - anchorServerMs) * 1_000_000.0 / (now - anchorWallNanos));
            if (now - anchorWallNanos >= MAX_BASELINE_NANOS) {
                anchorWallNanos = lastWallNanos;
                anchorServerMs = lastServerMs;
            }
        }
        lastWallNanos = now;
        lastServerMs = serverMs;
        reading = new Reading(serverMs, now, rate);
    }

    /** The latest reading; null before the first {@link #observe}. */
    Reading reading() {
        return reading;
    }

    boolean needsResync() {
        return !synced || nanoTime.getAsLong() - lastWallNanos >= RESYNC_NANOS;
    }

    /** The estimated exchange time now. */
    long nowMs() {
        return lastServerMs + (long) ((nanoTime.getAsLong() - lastWallNanos) / 1_000_000.0 * rate);
    }

    /** Wall-clock nanoseconds until the exchange reaches {@code exchangeMs}; {@link Long#MAX_VALUE} if never. */
    long wallNanosUntil(long exchangeMs) {
        long remainingMs = exchangeMs - nowMs();
        if (remainingMs <= 0) {
            return 0;
        }
        if (rate < 1e-9) {
            return Long.MAX_VALUE;
        }
        double nanos = remainingMs * 1_000_000.0 / rate;
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }
}
