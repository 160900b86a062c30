package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.models.ModelInfo;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.api.symbols.TrackedSeries;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /models, /symbols, /health and the OpenAPI spec with Swagger UI. */
@MicronautTest(transactional = false)
class ApiSurfaceITCase extends ApiITCaseSupport {

    private final SeedData seed = TestDatabase.seed();

    @Inject
    @Client("/")
    HttpClient http;

    @Test
    void modelsListTheRegistryWithStatusArtifactSizeAndLatestEvent() {
        List<ModelInfo> models =
                http.toBlocking().retrieve(HttpRequest.GET("/models"), Argument.listOf(ModelInfo.class));

        // Newest first: the challenger was created after the champion.
        assertThat(models).extracting(ModelInfo::modelVersion).containsExactly(SeedData.MODEL_2, SeedData.MODEL_1);
        for (ModelInfo m : models) {
            SeedData.Model seeded = SeedData.MODELS.stream()
                    .filter(s -> s.version().equals(m.modelVersion()))
                    .findFirst()
                    .orElseThrow();
            assertThat(m.status()).isEqualTo(seeded.status());
            assertThat(m.champion()).isEqualTo(seeded.status().equals("champion"));
            assertThat(m.statusChangedAt()).isEqualTo(seeded.statusChangedAt());
            assertThat(m.artifactSha256()).isEqualTo(seeded.sha256());
            assertThat(m.artifactBytes()).isEqualTo(seeded.artifactBytes());
            assertThat(m.latestEvent()).isNotNull();
            assertThat(m.latestEvent().event()).isEqualTo(seeded.latestEvent().event());
            assertThat(m.latestEvent().actor()).isEqualTo(seeded.latestEvent().actor());
            assertThat(m.latestEvent().at()).isEqualTo(seeded.latestEvent().at());
            assertThat(m.latestEvent().reason()).isEqualTo(seeded.latestEvent().reason());
            assertThat(m.latestEvent().detail())
                    .containsEntry("reason", seeded.latestEvent().reason());
            assertThat(m.windowSize()).isEqualTo(60);
            assertThat(m.featureNames()).containsExactly("log_return", "high_low", "volume");
            assertThat(m.quantiles()).containsExactly(0.1, 0.5, 0.9);
            assertThat(m.evalMetrics()).containsEntry("mase", 0.97);
        }
        assertThat(models.get(1).latestEvent().event()).isEqualTo("promoted");
    }

    @Test
    void modelsNeverSendTheArtifactBytes() {
        String json = http.toBlocking().retrieve("/models");

        assertThat(json).contains("\"artifactBytes\":4096").doesNotContain("\"artifact\":");
        // 4096 zero bytes would be a run of 'A's in base64.
        assertThat(json).doesNotContain("AAAAAAAAAAAAAAAA");
    }

    @Test
    void symbolsReportLatestCandleAndPrediction() {
        List<TrackedSeries> series =
                http.toBlocking().retrieve(HttpRequest.GET("/symbols"), Argument.listOf(TrackedSeries.class));

        for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
            TrackedSeries s = series.stream()
                    .filter(t -> t.symbol().equals(symbol) && t.exchange().equals(SeedData.EXCHANGE))
                    .findFirst()
                    .orElseThrow();
            SeedData.Candle last = seed.lastCandle(symbol);
            assertThat(s.latestCandleOpenTime()).isEqualTo(last.openTime());
            assertThat(s.latestPredictionTargetTime()).isEqualTo(last.openTime().plusSeconds(60));
            assertThat(s.candleStalenessSeconds()).isBetween(0.0, 600.0);
            assertThat(s.predictionStalenessSeconds()).isBetween(0.0, 600.0);
        }
    }

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
