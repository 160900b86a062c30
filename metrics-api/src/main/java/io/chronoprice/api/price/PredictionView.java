package io.chronoprice.api.price;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One prediction next to its outcome, as the {@code prediction_outcomes} view joins them. The actual, the error
 * (predicted minus actual) and the hit flags stay null until the target candle exists. {@code predictedClose} and
 * its bounds are the served forecast (the model's median after the job's skill guard, its 80 % interval after the
 * online calibration); the {@code raw*} fields, the guard weight and the calibration offsets show how it was made,
 * and are null on rows written before the job recorded them. Also the read-only mapping of the view's rows for
 * the repositories (columns by name).
 *
 * @param predictedClose the served median: the naive forecast moved {@code guardWeight} of the way (in
 *     log-return) to the model's raw median
 * @param lowerClose lower bound of the served 80 % interval
 * @param upperClose upper bound of the served 80 % interval
 * @param naiveClose the naive forecast: the last close of the input window
 * @param directionHit whether the served forecast called the direction of the move right; null when there is no
 *     call (the actual did not move, or the served forecast is the naive one) or no actual yet
 * @param rawPredictedClose the model's own median before the skill guard
 * @param rawLowerClose the model's own 0.1 quantile before the interval calibration
 * @param rawUpperClose the model's own 0.9 quantile before the interval calibration
 * @param guardWeight weight of the raw median in the served median, in [0, 1], learned online from resolved
 *     predictions: 0 means the model has not beaten the naive forecast recently, so the naive forecast is served
 * @param calibrationLower log of the factor on the model's lower half-width (online conformal calibration; 0 leaves
 *     the model's width, above 0 widens)
 * @param calibrationUpper log of the factor on the model's upper half-width
 * @param modelStatus the version's lifecycle status in the registry now ({@code champion}, {@code challenger} or
 *     {@code retired}); null for a version that is not registered
 * @param champion whether the version is its interval's champion now, i.e. whether this is the served forecast.
 *     Read at request time, not when the row was written: after a promotion every row of the new champion says
 *     true (the registry keeps no per-row record of what was served when)
 */
@MappedEntity("prediction_outcomes")
@Serdeable
public record PredictionView(
        String exchange,
        String symbol,
        String interval,
        Instant targetOpenTime,
        String modelVersion,
        double predictedClose,
        @Nullable Double lowerClose,
        @Nullable Double upperClose,
        double naiveClose,
        Instant windowEndOpenTime,
        Instant createdAt,
        @Nullable Double actualClose,
        @Nullable Double error,
        @Nullable Boolean inInterval,
        @Nullable Boolean directionHit,
        @Nullable Double rawPredictedClose,
        @Nullable Double rawLowerClose,
        @Nullable Double rawUpperClose,
        @Nullable Double guardWeight,
        @Nullable Double calibrationLower,
        @Nullable Double calibrationUpper,
        @Nullable String modelStatus,
        boolean champion) {

    /**
     * The view's columns in this record's order, and the version's status now; every reader of predictions selects
     * exactly these. The status comes from a primary-key lookup in {@code models} (a handful of rows) per returned
     * row rather than a join, so that the reads keep their plans: an ordered walk of the predictions index with
     * nothing to sort.
     */
    public static final String COLUMNS = "o.exchange, o.symbol, o.interval, o.target_open_time, o.model_version,"
            + " o.predicted_close, o.lower_close, o.upper_close, o.naive_close, o.window_end_open_time,"
            + " o.created_at, o.actual_close, o.error, o.in_interval, o.direction_hit, o.raw_predicted_close,"
            + " o.raw_lower_close, o.raw_upper_close, o.guard_weight, o.calibration_lower, o.calibration_upper,"
            + " (SELECT m.status FROM models m WHERE m.model_version = o.model_version) AS model_status,"
            + " EXISTS (SELECT 1 FROM models m WHERE m.model_version = o.model_version AND m.status = 'champion')"
            + " AS champion";

    /** Optional model version filter on the view aliased {@code o}: {@code :modelVersion}, null for every model. */
    public static final String MODEL_FILTER =
            "o.model_version = COALESCE(CAST(:modelVersion AS text), o.model_version)";
}
