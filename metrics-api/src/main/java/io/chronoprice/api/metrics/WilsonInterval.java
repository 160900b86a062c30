package io.chronoprice.api.metrics;

import io.chronoprice.common.stats.Wilson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A binomial proportion with its 95 % Wilson score interval, which (unlike the normal approximation) stays
 * inside [0, 1] and behaves for small counts and rates near 0 or 1. The bounds come from the shared
 * {@link Wilson} of chronoprice-stats, so the API, the backtest and the job agree to the last digit.
 */
@Serdeable
public record WilsonInterval(
        long hits,
        long total,
        @Nullable Double rate,
        @Nullable Double lower,
        @Nullable Double upper) {

    /** Rate and bounds are null when there is nothing to count. */
    public static WilsonInterval of(long hits, long total) {
        if (total == 0) {
            return new WilsonInterval(0, 0, null, null, null);
        }
        double[] bounds = Wilson.interval95(hits, total);
        return new WilsonInterval(hits, total, (double) hits / total, bounds[0], bounds[1]);
    }
}
