package io.chronoprice.api.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model version: its lifecycle status, input window and features, training range, offline evaluation,
 * artifact and the newest change of its status.
 *
 * @param status {@code champion} (its forecast is the one served for its interval), {@code challenger} (scored next
 *     to the champion on every window) or {@code retired} (no longer scored; its predictions stay)
 * @param champion whether {@code status} is {@code champion}
 * @param statusChangedAt when the status last changed
 * @param quantiles the predicted quantiles, e.g. [0.1, 0.5, 0.9] for the median and the 80 % interval
 * @param evalMetrics the offline evaluation exactly as the training run recorded it
 * @param artifactBytes size of the artifact the registry holds, in bytes (never the bytes themselves); null when
 *     the registry has no bytes for this version (registered before it kept them)
 * @param latestEvent the newest entry of the version's lifecycle log; null when it has none
 */
@Serdeable
public record ModelInfo(
        String modelVersion,
        String status,
        boolean champion,
        Instant statusChangedAt,
        Instant createdAt,
        String interval,
        int windowSize,
        List<String> featureNames,
        List<Double> quantiles,
        @Nullable Instant trainingFrom,
        @Nullable Instant trainingTo,
        Map<String, Object> evalMetrics,
        String artifactSha256,
        @Nullable Integer artifactBytes,
        Instant registeredAt,
        @Nullable ModelEvent latestEvent) {

    public static final String CHAMPION = "champion";
}
