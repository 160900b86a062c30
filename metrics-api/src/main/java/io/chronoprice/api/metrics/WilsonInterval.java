package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A binomial proportion with its 95 % Wilson score interval, which (unlike the normal approximation) stays
 * inside [0, 1] and behaves for small counts and rates near 0 or 1.
 */
@Serdeable
public record WilsonInterval(
        long hits,
        long total,
        @Nullable Double rate,
        @Nullable Double lower,
        @Nullable Double upper) {

    private static final double Z95 = 1.959963984540054;

    /** Rate and bounds are null when there is nothing to count. */
    public static WilsonInterval of(long hits, long total) {
        if (total == 0) {
            return new WilsonInterval(0, 0, null, null, null);
        }
        double n = total;
        double p = hits / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double halfWidth = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WilsonInterval(hits, total, p, Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth));
    }
}
