package io.chronoprice.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the schema in {@code classpath:db/migration} with Flyway. Every component calls this at start
 * with the schema owner's credentials; whichever comes first migrates, the others find nothing to do.
 */
public final class SchemaMigrations {

    public static final String LOCATION = "classpath:db/migration";

    private SchemaMigrations() {}

    /** Migrates to the newest version and returns how many migrations this call applied. */
    public static int apply(DbSettings owner) {
        MigrateResult result = Flyway.configure()
                .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
                .locations(LOCATION)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
