package io.chronoprice.job.source;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, the one retry delay of the source: after the n-th failure in a row, between 50 %
 * and 100 % of initial x 2^(n-1), capped at the maximum. The jitter keeps the subtasks of a job that all failed at
 * once (an exchange outage) from retrying at once.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} returns values in [0, 1); tests pass a fixed one. */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The delay after {@code failures} (>= 1) failures in a row, in nanoseconds. */
    public long delayNanos(int failures) {
        long exponential = initialNanos << Math.min(Math.max(failures, 1) - 1, 30);
        long capped = exponential <= 0 ? maxNanos : Math.min(exponential, maxNanos);
        return (long) (capped * (0.5 + 0.5 * random.getAsDouble()));
    }

    public Duration delay(int failures) {
        return Duration.ofNanos(delayNanos(failures));
    }
}
