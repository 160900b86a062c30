package io.chronoprice.job.scoring;

import io.chronoprice.common.series.SeriesId;

/**
 * What a model says about the next candle of one series, before the online layers: the 0.1, 0.5 and 0.9
 * quantiles of the next log-return relative to the window's last close, and the window's volatility measures
 * the online layers and the baselines need.
 *
 * @param scale the window's volatility scale (features.WindowVolatility#scale), the unit of the guard's losses
 * @param rollingSigma std of the window's log-returns: the rolling-volatility baseline
 * @param ewmaSigma the window's RiskMetrics EWMA volatility: the EWMA baseline
 */
public record RawForecast(
        String exchange,
        String symbol,
        String interval,
        long windowEndOpenTimeMs,
        long targetOpenTimeMs,
        String modelVersion,
        double lastClose,
        double q10,
        double q50,
        double q90,
        double scale,
        double rollingSigma,
        double ewmaSigma,
        long createdAtMs) {

    /** The same forecast with other quantiles (log-returns): another model's, or a test's. */
    public RawForecast withQuantiles(double lower, double median, double upper) {
        return new RawForecast(
                exchange,
                symbol,
                interval,
                windowEndOpenTimeMs,
                targetOpenTimeMs,
                modelVersion,
                lastClose,
                lower,
                median,
                upper,
                scale,
                rollingSigma,
                ewmaSigma,
                createdAtMs);
    }

    /** The same forecast filed under another model version. */
    public RawForecast withModelVersion(String version) {
        return new RawForecast(
                exchange,
                symbol,
                interval,
                windowEndOpenTimeMs,
                targetOpenTimeMs,
                version,
                lastClose,
                q10,
                q50,
                q90,
                scale,
                rollingSigma,
                ewmaSigma,
                createdAtMs);
    }

    /** Online state is kept per series and model version: each version earns its own record. */
    public String servingKey() {
        return SeriesId.key(exchange, symbol, interval) + ":" + modelVersion;
    }
}
