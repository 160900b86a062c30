package io.chronoprice.api.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.db.DbSettings;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API migrates only when told to, and then as the owner through the shared SchemaMigrations. */
class StartupMigrationITCase {

    @Test
    void doesNotMigrateByDefault() {
        try (ApplicationContext context =
                ApplicationContext.run(new HashMap<String, Object>(TestDatabase.apiProperties()))) {
            assertThat(context.findBean(StartupMigration.class)).isEmpty();
        }
    }

    @Test
    void migratesAsTheOwnerWhenEnabled() {
        DbSettings owner = TestDatabase.get().writer();
        Map<String, Object> properties = new HashMap<String, Object>(TestDatabase.apiProperties());
        properties.put("chronoprice.migration.enabled", "true");
        properties.put("chronoprice.migration.user", owner.user());
        properties.put("chronoprice.migration.password", owner.password());

        try (ApplicationContext context = ApplicationContext.run(properties)) {
            // The test database is already at the newest version: the migration ran, validated, applied nothing.
            assertThat(context.getBean(StartupMigration.class).applied()).isZero();
        }
    }
}
