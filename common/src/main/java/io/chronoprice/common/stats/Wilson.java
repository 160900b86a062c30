package io.chronoprice.common.stats;

/**
 * The 95 % Wilson score interval of a binomial proportion, which (unlike p +/- 2 standard errors) stays inside
 * [0, 1] and behaves for small counts and rates near 0 or 1.
 */
public final class Wilson {

    /** The standard normal's 97.5 % quantile. */
    public static final double Z95 = 1.959963984540054;

    private Wilson() {}

    /** {lower, upper} of the 95 % interval of {@code hits} out of {@code total}; NaNs when there is nothing. */
    public static double[] interval95(long hits, long total) {
        if (total <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double n = total;
        double p = hits / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double halfWidth = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new double[] {Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth)};
    }
}
