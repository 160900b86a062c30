package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The application-wide surface: /health with the database, and the OpenAPI spec with Swagger UI. */
@MicronautTest(transactional = false)
class ApiSurfaceITCase extends ApiITCaseSupport {

    @Inject
    @Client("/")
    HttpClient http;

    @Test
    void healthIncludesTheDatabase() {
        HttpResponse<String> response = http.toBlocking().exchange("/health", String.class);

        assertThat(response.header(DisclaimerFilter.HEADER)).isEqualTo(DisclaimerFilter.TEXT);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("jdbc");
        // The Kubernetes probes (deploy/k8s) use the liveness and readiness views too.
        assertThat(http.toBlocking().retrieve("/health/liveness")).contains("UP");
        assertThat(http.toBlocking().retrieve("/health/readiness")).contains("UP");
    }

    @Test
    void openApiSpecAndSwaggerUiAreServed() {
        String spec = http.toBlocking().retrieve("/swagger/chronoprice-metrics-api-0.1.0.yml");
        HttpResponse<String> ui = http.toBlocking().exchange("/swagger-ui/index.html", String.class);

        assertThat(spec).contains("/price/latest", "/price/history", "/metrics/model", "/live", "/symbols");
        assertThat(ui.body()).containsIgnoringCase("swagger");
        assertThat(ui.header(DisclaimerFilter.HEADER)).isEqualTo(DisclaimerFilter.TEXT);
    }
}
