package io.chronoprice.common.stats;

import java.util.List;

/**
 * The Diebold-Mariano test of equal predictive accuracy of two forecasts on the same targets (Diebold and
 * Mariano, 1995), here with absolute-error loss: d_t = |e_a,t| - |e_b,t|. The statistic is mean(d) divided by its
 * standard error from a Newey-West (Bartlett kernel) long-run variance, which allows for the autocorrelation of
 * the loss differences of minute forecasts; it is asymptotically standard normal under equal accuracy. Negative
 * means forecast a had the smaller errors.
 *
 * <p>Loss differences may come in several series (one per symbol): their autocovariances are taken within each
 * series only, never across the boundary between two.
 */
public final class DieboldMariano {

    /**
     * The most Newey-West lags taken: the automatic choice reaches it at 26.8 million loss differences. The
     * database keeps the lagged products of loss differences up to this lag (migration V10).
     */
    public static final int MAX_LAGS = 64;

    /**
     * @param n number of loss differences
     * @param meanDifference mean of |e_a| - |e_b|
     * @param statistic DM statistic; NaN when the variance is 0 or n < 2
     * @param pValue two-sided p-value under the standard normal
     * @param lags Newey-West truncation lag used
     */
    public record Result(long n, double meanDifference, double statistic, double pValue, int lags) {

        /** True when a's absolute errors are smaller and the difference is significant at {@code alpha}. */
        public boolean aBetterAt(double alpha) {
            return statistic < 0 && pValue < alpha;
        }
    }

    private DieboldMariano() {}

    public static Result test(double[] lossDifferences) {
        return test(List.of(lossDifferences));
    }

    /** The test over several series of loss differences, each in time order. */
    public static Result test(List<double[]> series) {
        long n = 0;
        double sum = 0;
        for (double[] d : series) {
            n += d.length;
            for (double v : d) {
                sum += v;
            }
        }
        if (n < 2) {
            return new Result(n, n == 0 ? Double.NaN : sum / n, Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        int lags = neweyWestLags(n);
        double variance = autocovariance(series, mean, 0, n);
        for (int k = 1; k <= lags; k++) {
            variance += 2 * (1 - k / (lags + 1.0)) * autocovariance(series, mean, k, n);
        }
        // Identical forecasts (d constant) leave only rounding in the variance: no test to make.
        if (!(variance > 1e-12 * autocovariance(series, 0, 0, n))) {
            return new Result(n, mean, Double.NaN, Double.NaN, lags);
        }
        double statistic = mean / Math.sqrt(variance / n);
        return new Result(n, mean, statistic, 2 * (1 - Normal.cdf(Math.abs(statistic))), lags);
    }

    /**
     * The same test on one series of {@code n} loss differences given by sums rather than values, so that a window
     * of millions costs no more than one of hundreds: {@code lagProducts[k]} is the sum of {@code d_t * d_(t-k)}
     * over t = k..n-1 for k = 0 up to at least the lags taken, and {@code head} and {@code tail} are the series'
     * first and last {@code min(n, MAX_LAGS)} values (the centred autocovariances need them at their ends).
     */
    public static Result fromSums(long n, double sum, double[] lagProducts, double[] head, double[] tail) {
        if (n < 2) {
            return new Result(n, n == 0 ? Double.NaN : sum / n, Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        int lags = neweyWestLags(n);
        int ends = (int) Math.min(n, MAX_LAGS);
        if (lagProducts.length <= lags || head.length < ends || tail.length < ends) {
            throw new IllegalArgumentException("sums for " + lags + " lags need " + (lags + 1) + " lagged products and "
                    + ends + " values at each end");
        }
        double variance = 0;
        double headSum = 0;
        double tailSum = 0;
        for (int k = 0; k <= lags; k++) {
            // sum over t >= k of (d_t - mean)(d_(t-k) - mean), expanded; headSum is d_0..d_(k-1), tailSum the last k.
            double centred = lagProducts[k] - mean * (sum - headSum) - mean * (sum - tailSum) + (n - k) * mean * mean;
            variance += (k == 0 ? 1 : 2 * (1 - k / (lags + 1.0))) * centred / n;
            if (k < ends) {
                headSum += head[k];
                tailSum += tail[tail.length - 1 - k];
            }
        }
        if (!(variance > 1e-12 * lagProducts[0] / n)) {
            return new Result(n, mean, Double.NaN, Double.NaN, lags);
        }
        double statistic = mean / Math.sqrt(variance / n);
        return new Result(n, mean, statistic, 2 * (1 - Normal.cdf(Math.abs(statistic))), lags);
    }

    /** The usual automatic choice, floor(4 (n / 100)^(2/9)), at most {@link #MAX_LAGS}. */
    static int neweyWestLags(long n) {
        return Math.min(MAX_LAGS, (int) Math.floor(4 * Math.pow(n / 100.0, 2.0 / 9.0)));
    }

    private static double autocovariance(List<double[]> series, double mean, int lag, long n) {
        double sum = 0;
        for (double[] d : series) {
            for (int t = lag; t < d.length; t++) {
                sum += (d[t] - mean) * (d[t - lag] - mean);
            }
        }
        return sum / n;
    }
}
