package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The model's own forecast before the job's online layers (skill guard and interval calibration), judged on the
 * resolved predictions of the same window as the served one. Only rows that kept the raw forecast count: rows
 * written before the raw columns existed have none, so {@code resolved} can be below the served count, and the
 * naive MAE here is taken on exactly these rows so that {@code mase} compares like with like. All values are null
 * (and the Wilson totals 0) when no row of the window has a raw forecast.
 *
 * @param resolved resolved predictions that carry a raw forecast
 * @param mae mean absolute error of the raw median
 * @param naiveMae MAE of the naive forecast (next close = last close) on the same rows
 * @param mase raw MAE / naive MAE: below 1 the raw model beats the naive forecast
 * @param directionalAccuracy share of the raw median's directional calls that were right (rows where the actual
 *     close did not move, or the raw median equals the naive forecast, make no call), 95 % Wilson interval
 * @param intervalCoverage share of actual closes inside the raw 80 % interval, 95 % Wilson interval
 * @param winklerBps mean Winkler score of the raw interval in basis points of the actual close (see
 *     {@link IntervalScore})
 */
@Serdeable
public record RawModelMetrics(
        long resolved,
        @Nullable Double mae,
        @Nullable Double naiveMae,
        @Nullable Double mase,
        WilsonInterval directionalAccuracy,
        WilsonInterval intervalCoverage,
        @Nullable Double winklerBps) {}
