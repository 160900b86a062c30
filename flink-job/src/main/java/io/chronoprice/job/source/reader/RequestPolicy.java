package io.chronoprice.job.source.reader;

import io.chronoprice.job.source.Backoff;
import io.chronoprice.job.source.exchange.RateLimitedException;
import io.chronoprice.job.source.exchange.RetryableExchangeException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When the reader may send a request: the pause that holds every series (after a rate limit, or while the
 * exchange's request weight for the current minute is used up), and the delay before a failed request is tried
 * again. Time comes from the suppliers, so that tests drive it.
 */
final class RequestPolicy {

    private final Backoff backoff;
    private final int usedWeightLimit;
    private final LongSupplier nanoTime;
    private final LongSupplier wallMillis;

    private long pausedUntilNanos;

    RequestPolicy(Backoff backoff, int usedWeightLimit, LongSupplier nanoTime, LongSupplier wallMillis) {
        this.backoff = backoff;
        this.usedWeightLimit = usedWeightLimit;
        this.nanoTime = nanoTime;
        this.wallMillis = wallMillis;
        // nanoTime may be negative: every deadline starts at "now", never at 0.
        this.pausedUntilNanos = nanoTime.getAsLong();
    }

    /** Nanoseconds every request must still wait; 0 when requests may go. */
    long pausedForNanos() {
        return Math.max(0, pausedUntilNanos - nanoTime.getAsLong());
    }

    /**
     * The wait before retrying after {@code failures} failures in a row: the exchange's Retry-After for a rate
     * limit (which also pauses every series, as the limit is per client), else the backoff.
     */
    long retryDelayNanos(int failures, RetryableExchangeException e) {
        if (e instanceof RateLimitedException limited) {
            long wait = limited.retryAfter().toNanos();
            pauseAll(wait);
            return wait;
        }
        return backoff.delayNanos(failures);
    }

    /** Pauses every series until the next wall-clock minute once the minute's request weight is above the limit. */
    long onUsedWeight(int usedWeight) {
        if (usedWeight <= usedWeightLimit) {
            return 0;
        }
        // Binance counts weight per wall-clock minute (so does the replay exchange, whatever its speed).
        long pauseMs = 60_000L - Math.floorMod(wallMillis.getAsLong(), 60_000L);
        pauseAll(TimeUnit.MILLISECONDS.toNanos(pauseMs));
        return pauseMs;
    }

    void pauseAll(long nanos) {
        pausedUntilNanos = Math.max(pausedUntilNanos, nanoTime.getAsLong() + nanos);
    }

    int usedWeightLimit() {
        return usedWeightLimit;
    }
}
