package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The {@code /metrics/model} answer: one entry per model version with predictions in the window.
 *
 * @param nominalCoverage the coverage the interval promises (80 %), to compare {@code intervalCoverage} against
 */
@Serdeable
public record MetricsReport(
        String exchange,
        String symbol,
        String interval,
        String window,
        @Nullable String modelVersion,
        double nominalCoverage,
        List<ModelMetrics> models) {}
