package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * Accuracy of one model version on one series over a window. The top-level error metrics judge the served forecast
 * (what every reader shows: the model's median after the skill guard, and its interval after calibration);
 * {@code raw} judges the model's own forecast and {@code baselines} two model-free intervals, on the same resolved
 * rows. Error metrics use resolved predictions only (those whose target candle exists); null when there are none.
 *
 * @param status the version's lifecycle status in the registry now ({@code champion}, {@code challenger},
 *     {@code retired}); null for a version that is not registered
 * @param champion whether the version is its interval's champion now (its forecast is the served one)
 * @param predictions predictions in the window, resolved or not
 * @param resolved predictions whose actual is known
 * @param mapePercent mean absolute percentage error, in percent
 * @param naiveMae MAE of the persistence forecast (next close = last close) on the same rows
 * @param mase MAE / naive MAE: below 1 beats the naive forecast
 * @param directionalAccuracy share of the served forecast's directional calls that got the sign of the move right,
 *     with its 95 % Wilson interval; a row makes no call when the actual close did not move or when the served
 *     forecast is the naive one (guard weight 0)
 * @param intervalCoverage share of resolved predictions whose actual fell inside the served 80 % interval
 * @param winklerBps mean Winkler score (alpha 0.2) of the served 80 % interval in basis points of the actual close:
 *     per row {@code (upper - lower) + 10 x distance outside}, divided by the actual close, times 10 000; lower is
 *     better
 * @param meanGuardWeight mean weight of the model's median in the served median over the resolved rows (0: the
 *     naive forecast was served, 1: the raw median); null when no resolved row records it
 * @param raw the model's raw forecast before the online layers, on the same rows
 * @param baselines the rolling-volatility and EWMA-volatility intervals around the naive forecast, on the same rows
 */
@Serdeable
public record ModelMetrics(
        String modelVersion,
        @Nullable String status,
        boolean champion,
        long predictions,
        long resolved,
        @Nullable Instant firstTargetTime,
        @Nullable Instant lastTargetTime,
        @Nullable Double mae,
        @Nullable Double rmse,
        @Nullable Double mapePercent,
        @Nullable Double naiveMae,
        @Nullable Double mase,
        WilsonInterval directionalAccuracy,
        WilsonInterval intervalCoverage,
        @Nullable Double winklerBps,
        @Nullable Double meanGuardWeight,
        RawModelMetrics raw,
        Baselines baselines) {}
