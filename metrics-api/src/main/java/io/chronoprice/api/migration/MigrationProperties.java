package io.chronoprice.api.migration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Whether and as whom the API applies the schema at start ({@code chronoprice.migration.*}, from
 * CHRONOPRICE_API_MIGRATE and the owner's CHRONOPRICE_DB_URL/_USER/_PASSWORD; see application.yml).
 */
@ConfigurationProperties("chronoprice.migration")
public record MigrationProperties(
        @Bindable(defaultValue = "false") boolean enabled, String url, String user, String password) {}
