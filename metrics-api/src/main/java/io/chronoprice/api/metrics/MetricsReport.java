package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The {@code /metrics/model} answer: one entry per model version with predictions in the window, and the champion
 * and challengers compared on their common targets.
 *
 * @param modelVersion the version filter of {@code models}, if any (the comparison always covers every scored
 *     version)
 * @param nominalCoverage the coverage the interval promises (80 %), to compare {@code intervalCoverage} against
 * @param comparison the champion and every challenger on the same resolved targets, with the Diebold-Mariano test of
 *     each challenger against the champion
 */
@Serdeable
public record MetricsReport(
        String exchange,
        String symbol,
        String interval,
        String window,
        @Nullable String modelVersion,
        double nominalCoverage,
        List<ModelMetrics> models,
        VersionComparison comparison) {}
