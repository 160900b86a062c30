package io.chronoprice.api.migration;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.SchemaMigrations;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema while the application starts, before it serves, when {@code chronoprice.migration.enabled}
 * is true, through the same {@link SchemaMigrations} every other component uses. Off by default: the API then
 * only reads, with the read-only role, and expects the schema. The owner's connection is Flyway's own, opened
 * for the migration only; no owner pool is kept.
 */
@Context
@Requires(property = "chronoprice.migration.enabled", value = "true")
public final class StartupMigration {

    private static final Logger LOG = LoggerFactory.getLogger(StartupMigration.class);

    private final int applied;

    StartupMigration(MigrationProperties properties) {
        DbSettings owner = new DbSettings(properties.url(), properties.user(), properties.password());
        applied = SchemaMigrations.apply(owner);
        LOG.info("Schema migrations: {} applied as {}", applied, owner);
    }

    /** How many migrations this start applied (0 when another component had already migrated). */
    public int applied() {
        return applied;
    }
}
