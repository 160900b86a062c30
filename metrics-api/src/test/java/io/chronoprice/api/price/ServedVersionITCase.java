package io.chronoprice.api.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chronoprice.api.metrics.MetricsReport;
import io.chronoprice.api.models.ModelInfo;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.api.symbols.TrackedSeries;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The served forecast is the champion's: without {@code model_version} the API (and {@code /symbols}' latest
 * prediction) answers with the champion of the series' interval as the registry says now, so a promotion (the old champion demoted and the new one promoted in
 * one transaction, as the {@code model promote} command does) switches the default on the very next request, while
 * every version stays readable by name. Each test puts the seeded statuses back.
 */
@MicronautTest(transactional = false)
class ServedVersionITCase extends ApiITCaseSupport {

    private static final String PREDICTION = "/price/prediction?symbol=BTCUSDT";

    @Inject
    @Client("/")
    HttpClient http;

    @AfterEach
    void restoreTheSeededRegistry() throws Exception {
        TestDatabase.restoreSeededStatuses();
    }

    @Test
    void promotingAChallengerSwitchesTheDefaultOnTheNextRequest() throws Exception {
        PredictionView before = prediction(PREDICTION);
        assertThat(before.modelVersion()).isEqualTo(SeedData.MODEL_1);
        assertThat(before.champion()).isTrue();

        TestDatabase.promote(SeedData.MODEL_2);

        PredictionView after = prediction(PREDICTION);
        assertThat(after.modelVersion()).isEqualTo(SeedData.MODEL_2);
        assertThat(after.champion()).isTrue();
        assertThat(after.modelStatus()).isEqualTo("champion");
        // The old champion is still there by name, now marked as not served.
        PredictionView pinned = prediction(PREDICTION + "&model_version=" + SeedData.MODEL_1);
        assertThat(pinned.modelVersion()).isEqualTo(SeedData.MODEL_1);
        assertThat(pinned.champion()).isFalse();
        assertThat(pinned.modelStatus()).isEqualTo("challenger");
        assertThat(pinned.predictedClose()).isNotEqualTo(after.predictedClose());
    }

    @Test
    void historyRegistryAndComparisonFollowThePromotionToo() throws Exception {
        TestDatabase.promote(SeedData.MODEL_2);

        HistoryPage page = http.toBlocking().retrieve("/price/history?symbol=BTCUSDT&limit=5000", HistoryPage.class);
        List<ModelInfo> models =
                http.toBlocking().retrieve(HttpRequest.GET("/models"), Argument.listOf(ModelInfo.class));
        MetricsReport report =
                http.toBlocking().retrieve("/metrics/model?symbol=BTCUSDT&window=all", MetricsReport.class);

        assertThat(page.modelVersion()).isEqualTo(SeedData.MODEL_2);
        assertThat(page.points())
                .hasSize(SeedData.MODEL_2_TARGETS)
                .allMatch(p -> p.modelVersion().equals(SeedData.MODEL_2) && p.champion());
        assertThat(models)
                .filteredOn(ModelInfo::champion)
                .extracting(ModelInfo::modelVersion)
                .containsExactly(SeedData.MODEL_2);
        assertThat(report.comparison().champion()).isEqualTo(SeedData.MODEL_2);
        assertThat(report.comparison().tests()).singleElement().satisfies(t -> {
            assertThat(t.challenger()).isEqualTo(SeedData.MODEL_1);
            assertThat(t.champion()).isEqualTo(SeedData.MODEL_2);
        });
    }

    @Test
    void withoutAChampionTheDefaultIsRefusedNamingModelVersion() throws Exception {
        TestDatabase.demoteChampion();

        HttpClientResponseException e = catchThrowableOfType(
                HttpClientResponseException.class, () -> http.toBlocking().retrieve(PREDICTION, Map.class));

        assertThat(e.getStatus().getCode()).isEqualTo(404);
        assertThat(e.getResponse().getBody(Map.class))
                .hasValueSatisfying(problem -> assertThat(problem).containsEntry("parameter", "model_version"));
        // A named version is still served.
        assertThat(prediction(PREDICTION + "&model_version=" + SeedData.MODEL_1).modelVersion())
                .isEqualTo(SeedData.MODEL_1);
        // Nothing is served, so /symbols has no latest served prediction to report (its candles are still there).
        List<TrackedSeries> series =
                http.toBlocking().retrieve(HttpRequest.GET("/symbols"), Argument.listOf(TrackedSeries.class));
        assertThat(series)
                .filteredOn(t -> t.symbol().equals("BTCUSDT") && t.exchange().equals(SeedData.EXCHANGE))
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.latestCandleOpenTime()).isNotNull();
                    assertThat(t.latestPredictionTargetTime()).isNull();
                });
    }

    private PredictionView prediction(String path) {
        return http.toBlocking().retrieve(path, PredictionView.class);
    }
}
