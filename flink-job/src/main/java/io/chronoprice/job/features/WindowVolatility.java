package io.chronoprice.job.features;

import io.chronoprice.job.candle.Candle;

/**
 * Volatility measures of one window of candles, in log-return units. The window's log-returns are
 * ln(close_t / close_{t-1}), with ln(close_0 / open_0) for the first candle, as in the features.
 */
public final class WindowVolatility {

    /** RiskMetrics' decay for the EWMA baseline. */
    public static final double EWMA_LAMBDA = 0.94;

    private static final double PARKINSON = 4 * Math.log(2);

    private WindowVolatility() {}

    /**
     * The regime-free models' unit: sqrt((sum of squared log-returns + sum of squared ln(high/low) / (4 ln 2))
     * / 2N), a blend of the close-to-close and the Parkinson high-low estimates. 0 only if nothing moved.
     */
    public static double scale(Candle[] window) {
        double sum = 0;
        double previousClose = window[0].open();
        for (Candle c : window) {
            sum += scaleTerm(Math.log(c.close() / previousClose), Math.log(c.high() / c.low()));
            previousClose = c.close();
        }
        return scaleOf(sum, window.length);
    }

    /** One candle's term of the {@link #scale} sum, from its log-return and its ln(high / low). */
    static double scaleTerm(double logReturn, double logRange) {
        return logReturn * logReturn + logRange * logRange / PARKINSON;
    }

    /** The {@link #scale} of a window of {@code n} candles whose terms sum to {@code sum}. */
    static double scaleOf(double sum, int n) {
        return Math.sqrt(sum / (2.0 * n));
    }

    /** ln(close_t / close_{t-1}) for every candle, with ln(close_0 / open_0) first: what the baselines read. */
    public static double[] logReturns(Candle[] window) {
        double[] returns = new double[window.length];
        double previousClose = window[0].open();
        for (int t = 0; t < window.length; t++) {
            returns[t] = Math.log(window[t].close() / previousClose);
            previousClose = window[t].close();
        }
        return returns;
    }

    /** Population standard deviation of the window's log-returns: the rolling-volatility baseline's sigma. */
    public static double rollingSigma(Candle[] window) {
        return rollingSigma(logReturns(window));
    }

    /** {@link #rollingSigma(Candle[])} of returns already taken ({@link #logReturns}). */
    public static double rollingSigma(double[] returns) {
        double sum = 0;
        for (double r : returns) {
            sum += r;
        }
        // Two passes, as numpy computes it: the one-pass formula cancels badly for returns of 1e-5.
        double mean = sum / returns.length;
        double squares = 0;
        for (double r : returns) {
            squares += (r - mean) * (r - mean);
        }
        return Math.sqrt(squares / returns.length);
    }

    /**
     * RiskMetrics-style EWMA volatility over the window's log-returns: weights lambda^(N-1-t), normalised to
     * sum to 1, on the squared returns (zero mean), the newest weighing most.
     */
    public static double ewmaSigma(Candle[] window) {
        return ewmaSigma(logReturns(window));
    }

    /** {@link #ewmaSigma(Candle[])} of returns already taken ({@link #logReturns}). */
    public static double ewmaSigma(double[] returns) {
        double weighted = 0;
        double weights = 0;
        double weight = 1;
        for (int t = returns.length - 1; t >= 0; t--) {
            weighted += weight * returns[t] * returns[t];
            weights += weight;
            weight *= EWMA_LAMBDA;
        }
        return Math.sqrt(weighted / weights);
    }
}
