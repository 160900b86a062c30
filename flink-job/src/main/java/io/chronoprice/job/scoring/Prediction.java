package io.chronoprice.job.scoring;

/**
 * One prediction row: the forecast of the close of the candle opening at {@code targetOpenTimeMs}, its
 * 80 % interval, and the naive forecast (the last close) it will be judged against.
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
        long createdAtMs) {}
