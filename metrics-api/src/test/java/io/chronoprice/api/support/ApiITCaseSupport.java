package io.chronoprice.api.support;

import io.micronaut.test.support.TestPropertyProvider;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;

/** Points a {@code @MicronautTest} at the shared seeded database, as the read-only role. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ApiITCaseSupport implements TestPropertyProvider {

    @Override
    public Map<String, String> getProperties() {
        return TestDatabase.apiProperties();
    }
}
