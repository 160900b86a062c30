package io.chronoprice.api.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model version: its input window and features, training range and offline evaluation.
 *
 * @param quantiles the predicted quantiles, e.g. [0.1, 0.5, 0.9] for the median and the 80 % interval
 * @param evalMetrics the offline evaluation exactly as the training run recorded it
 */
@Serdeable
public record ModelInfo(
        String modelVersion,
        Instant createdAt,
        String interval,
        int windowSize,
        List<String> featureNames,
        List<Double> quantiles,
        @Nullable Instant trainingFrom,
        @Nullable Instant trainingTo,
        Map<String, Object> evalMetrics,
        String artifactSha256,
        Instant registeredAt) {}
