package io.chronoprice.api.price;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** Page sizes of {@code /price/history}: {@code chronoprice.history.default-limit} and {@code .max-limit}. */
@ConfigurationProperties("chronoprice.history")
public record HistoryProperties(
        @Bindable(defaultValue = "500") int defaultLimit,
        @Bindable(defaultValue = "5000") int maxLimit) {}
