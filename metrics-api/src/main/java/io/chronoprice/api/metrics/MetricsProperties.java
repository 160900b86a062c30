package io.chronoprice.api.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code chronoprice.metrics.cache-ttl}: how long a computed {@code /metrics/model} report is served again to the
 * same question (0: never); {@code .cache-entries}: how many questions are kept at most.
 */
@ConfigurationProperties("chronoprice.metrics")
public record MetricsProperties(
        @Bindable(defaultValue = "1s") Duration cacheTtl,
        @Bindable(defaultValue = "10000") int cacheEntries) {}
