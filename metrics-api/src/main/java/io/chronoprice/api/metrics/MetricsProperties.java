package io.chronoprice.api.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The {@code /metrics/model} report cache ({@code chronoprice.metrics.*}, {@link ReportCache}): {@code cache-ttl},
 * how long a computed report is served again to the same question while the API does not hear of the database's
 * writes (0: never, which also turns listening off); {@code cache-max-age}, how long at most while it does, should a
 * write go unheard; {@code cache-entries}, how many questions are kept at most; {@code listen}, whether to listen
 * for the writes (migration V15's notifications) at all; {@code listen-retry}, how long to wait before listening
 * again after the connection failed.
 */
@ConfigurationProperties("chronoprice.metrics")
public record MetricsProperties(
        @Bindable(defaultValue = "1s") Duration cacheTtl,
        @Bindable(defaultValue = "10m") Duration cacheMaxAge,
        @Bindable(defaultValue = "10000") int cacheEntries,
        @Bindable(defaultValue = "true") boolean listen,
        @Bindable(defaultValue = "5s") Duration listenRetry) {}
