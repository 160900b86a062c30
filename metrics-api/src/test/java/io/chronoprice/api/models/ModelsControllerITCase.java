package io.chronoprice.api.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /models}: the registry as the job and the CLI wrote it. */
@MicronautTest(transactional = false)
class ModelsControllerITCase extends ApiITCaseSupport {

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
}
