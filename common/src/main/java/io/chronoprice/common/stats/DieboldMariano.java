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

    /** The usual automatic choice, floor(4 (n / 100)^(2/9)). */
    static int neweyWestLags(long n) {
        return (int) Math.floor(4 * Math.pow(n / 100.0, 2.0 / 9.0));
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
