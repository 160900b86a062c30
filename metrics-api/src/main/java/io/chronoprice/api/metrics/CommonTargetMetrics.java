package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The served forecast of one version on the common targets of a {@link VersionComparison}.
 *
 * @param status {@code champion} or {@code challenger}
 * @param champion whether this is the champion
 * @param mae mean absolute error in price units; null without common targets
 * @param naiveMae the naive forecast's MAE on the same targets
 * @param mase {@code mae / naiveMae}: below 1 beats the naive forecast; null without common targets or when the
 *     naive forecast made no error
 */
@Serdeable
public record CommonTargetMetrics(
        String modelVersion,
        String status,
        boolean champion,
        @Nullable Double mae,
        @Nullable Double naiveMae,
        @Nullable Double mase) {}
