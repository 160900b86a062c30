package io.chronoprice.job.scoring;

/**
 * One prediction row: the served forecast of the close of the candle opening at {@code targetOpenTimeMs}
 * with its 80 % interval, the naive forecast (the last close) it is judged against, and, for transparency,
 * the model's raw quantiles, the online layers' guard weight and calibration offsets, and the sigmas of the
 * interval baselines.
 *
 * @param predictedClose served median: last close x exp(guard weight x raw median log-return)
 * @param lowerClose served lower bound (0.1 quantile after calibration)
 * @param upperClose served upper bound (0.9 quantile after calibration)
 * @param guardWeight weight of the model's median against the naive forecast, in [0, 1]
 * @param calibrationLower log of the factor applied to the model's lower half-width
 * @param calibrationUpper log of the factor applied to the model's upper half-width
 */
public record Prediction(
        String exchange,
        String symbol,
        String interval,
        long targetOpenTimeMs,
        String modelVersion,
        double predictedClose,
        double lowerClose,
        double upperClose,
        double naiveClose,
        long windowEndOpenTimeMs,
        long createdAtMs,
        double rawPredictedClose,
        double rawLowerClose,
        double rawUpperClose,
        double guardWeight,
        double calibrationLower,
        double calibrationUpper,
        double windowScale,
        double rollingSigma,
        double ewmaSigma) {

    /**
     * The row of a raw forecast served as {@code served} = (lower, median, upper) log-returns with
     * {@code guardWeight}, by calibration offsets {@code thetaLower} and {@code thetaUpper}.
     */
    public static Prediction of(
            RawForecast raw, double[] served, double guardWeight, double thetaLower, double thetaUpper) {
        double last = raw.lastClose();
        return new Prediction(
                raw.exchange(),
                raw.symbol(),
                raw.interval(),
                raw.targetOpenTimeMs(),
                raw.modelVersion(),
                last * Math.exp(served[1]),
                last * Math.exp(served[0]),
                last * Math.exp(served[2]),
                last,
                raw.windowEndOpenTimeMs(),
                raw.createdAtMs(),
                last * Math.exp(raw.q50()),
                last * Math.exp(raw.q10()),
                last * Math.exp(raw.q90()),
                guardWeight,
                thetaLower,
                thetaUpper,
                raw.scale(),
                raw.rollingSigma(),
                raw.ewmaSigma());
    }
}
