package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * Accuracy of one model version on one series over a window. Error metrics use resolved predictions only
 * (those whose target candle exists); null when there are none.
 *
 * @param predictions predictions in the window, resolved or not
 * @param resolved predictions whose actual is known
 * @param mapePercent mean absolute percentage error, in percent
 * @param naiveMae MAE of the persistence forecast (next close = last close) on the same rows
 * @param mase MAE / naive MAE: below 1 beats the naive forecast
 * @param directionalAccuracy share of resolved predictions that got the sign of the move right (unchanged
 *     closes excluded), with its 95 % Wilson interval
 * @param intervalCoverage share of resolved predictions whose actual fell inside the 80 % interval
 */
@Serdeable
public record ModelMetrics(
        String modelVersion,
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
        WilsonInterval intervalCoverage) {}
