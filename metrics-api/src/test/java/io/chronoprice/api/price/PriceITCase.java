package io.chronoprice.api.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

@MicronautTest(transactional = false)
class PriceITCase extends ApiITCaseSupport {

    private final SeedData seed = TestDatabase.seed();

    @Inject
    @Client("/")
    HttpClient http;

    @Test
    void latestIsTheNewestSeededCandleWhateverTheSymbolCase() {
        HttpResponse<Candle> response =
                http.toBlocking().exchange(HttpRequest.GET("/price/latest?symbol=btcUSDT"), Candle.class);

        SeedData.Candle expected = seed.lastCandle("BTCUSDT");
        Candle latest = response.body();
        assertThat(response.header(DisclaimerFilter.HEADER)).isEqualTo(DisclaimerFilter.TEXT);
        assertThat(latest.symbol()).isEqualTo("BTCUSDT");
        assertThat(latest.exchange()).isEqualTo("binance");
        assertThat(latest.interval()).isEqualTo("1m");
        assertThat(latest.openTime()).isEqualTo(expected.openTime());
        assertThat(latest.close()).isEqualTo(expected.close());
        assertThat(latest.volume()).isEqualTo(expected.volume());
    }

    @Test
    void predictionIsTheNewestTargetStillWithoutActual() {
        PredictionView p = http.toBlocking()
                .retrieve("/price/prediction?symbol=ethusdt&exchange=BINANCE&interval=1m", PredictionView.class);

        SeedData.Candle last = seed.lastCandle("ETHUSDT");
        assertThat(p.symbol()).isEqualTo("ETHUSDT");
        assertThat(p.targetOpenTime()).isEqualTo(last.openTime().plusSeconds(60));
        assertThat(p.windowEndOpenTime()).isEqualTo(last.openTime());
        assertThat(p.naiveClose()).isEqualTo(last.close());
        // The served forecast: the champion's, and the answer says so.
        assertThat(p.modelVersion()).isEqualTo(SeedData.MODEL_1);
        assertThat(p.champion()).isTrue();
        assertThat(p.modelStatus()).isEqualTo("champion");
        assertThat(p.actualClose()).isNull();
        assertThat(p.error()).isNull();
        assertThat(p.inInterval()).isNull();
        // How the served forecast was made: the raw model forecast and the online layers' state, as written.
        SeedData.Online expected = seed.predictions("ETHUSDT").stream()
                .filter(e -> e.target().equals(p.targetOpenTime()))
                .findFirst()
                .orElseThrow()
                .online();
        assertThat(p.rawPredictedClose()).isEqualTo(expected.rawPredicted());
        assertThat(p.rawLowerClose()).isEqualTo(expected.rawLower());
        assertThat(p.rawUpperClose()).isEqualTo(expected.rawUpper());
        assertThat(p.guardWeight()).isEqualTo(expected.guardWeight());
        assertThat(p.calibrationLower()).isEqualTo(expected.calibrationLower());
        assertThat(p.calibrationUpper()).isEqualTo(expected.calibrationUpper());
    }

    @Test
    void predictionCanBePinnedToAModelVersionAndSaysWhetherItIsServed() {
        String path = "/price/prediction?symbol=BTCUSDT&model_version=";
        PredictionView challenger = http.toBlocking().retrieve(path + SeedData.MODEL_2, PredictionView.class);
        PredictionView champion = http.toBlocking().retrieve(path + SeedData.MODEL_1, PredictionView.class);

        assertThat(challenger.modelVersion()).isEqualTo(SeedData.MODEL_2);
        assertThat(challenger.champion()).isFalse();
        assertThat(challenger.modelStatus()).isEqualTo("challenger");
        assertThat(champion.modelVersion()).isEqualTo(SeedData.MODEL_1);
        assertThat(champion.champion()).isTrue();
        // Both scored the same newest target; the challenger's forecast of it is its own.
        assertThat(challenger.targetOpenTime()).isEqualTo(champion.targetOpenTime());
        assertThat(challenger.predictedClose()).isNotEqualTo(champion.predictedClose());
    }

    @Test
    void anUnknownModelVersionHasNoPredictions() {
        HttpClientResponseException e = catchThrowableOfType(HttpClientResponseException.class, () -> http.toBlocking()
                .retrieve("/price/prediction?symbol=BTCUSDT&model_version=no-such-model", PredictionView.class));

        assertThat(e.getStatus().getCode()).isEqualTo(404);
    }

    @Test
    void historyCarriesActualsAndErrorsOfTheRange() {
        List<SeedData.Prediction> eth = seed.predictions("ETHUSDT");
        Instant from = eth.get(10).target();
        Instant to = eth.get(20).target();

        HistoryPage page = http.toBlocking()
                .retrieve("/price/history?symbol=ETHUSDT&from=" + from + "&to=" + to, HistoryPage.class);

        assertThat(page.points()).hasSize(10);
        assertThat(page.nextCursor()).isNull();
        for (int i = 0; i < 10; i++) {
            SeedData.Prediction expected = eth.get(10 + i);
            PredictionView point = page.points().get(i);
            double actual = seed.actual(expected).orElseThrow();
            assertThat(point.targetOpenTime()).isEqualTo(expected.target());
            assertThat(point.predictedClose()).isEqualTo(expected.predicted());
            assertThat(point.actualClose()).isEqualTo(actual);
            assertThat(point.error()).isCloseTo(expected.predicted() - actual, within(1e-9));
            assertThat(point.inInterval()).isEqualTo(expected.lower() <= actual && actual <= expected.upper());
            assertThat(point.rawPredictedClose()).isEqualTo(expected.online().rawPredicted());
            assertThat(point.guardWeight()).isEqualTo(expected.online().guardWeight());
            assertThat(point.calibrationLower()).isEqualTo(expected.online().calibrationLower());
        }
    }

    @Test
    void historyPagesThroughEveryChampionRowOnceInOrder() {
        List<PredictionView> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = "/price/history?symbol=BTCUSDT&limit=333" + (cursor == null ? "" : "&cursor=" + cursor);
            HistoryPage page = http.toBlocking().retrieve(path, HistoryPage.class);
            assertThat(page.modelVersion()).isEqualTo(SeedData.MODEL_1);
            all.addAll(page.points());
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        // Without model_version the history is the served forecast's: the champion's rows only.
        List<SeedData.Prediction> expected = seed.predictions("BTCUSDT").stream()
                .filter(p -> p.modelVersion().equals(SeedData.MODEL_1))
                .sorted(Comparator.comparing(SeedData.Prediction::target))
                .toList();
        assertThat(pages).isEqualTo((expected.size() + 332) / 333);
        assertThat(all)
                .extracting(p -> p.targetOpenTime() + "/" + p.modelVersion())
                .containsExactlyElementsOf(expected.stream()
                        .map(p -> p.target() + "/" + p.modelVersion())
                        .toList());
        // Pre-V4 rows (no raw forecast) and V4 rows page side by side: raw fields null exactly where none was written.
        for (int i = 0; i < all.size(); i++) {
            SeedData.Online online = expected.get(i).online();
            PredictionView point = all.get(i);
            assertThat(point.rawPredictedClose()).isEqualTo(online == null ? null : online.rawPredicted());
            assertThat(point.guardWeight()).isEqualTo(online == null ? null : online.guardWeight());
        }
        assertThat(all).filteredOn(p -> p.rawPredictedClose() == null).hasSize(SeedData.LEGACY_TARGETS);
        assertThat(all).allMatch(PredictionView::champion);
    }

    @Test
    void historyOfAChallengerHasItsOwnRowsOnly() {
        HistoryPage page = http.toBlocking()
                .retrieve(
                        "/price/history?symbol=BTCUSDT&limit=5000&model_version=" + SeedData.MODEL_2,
                        HistoryPage.class);

        List<SeedData.Prediction> expected = seed.predictions("BTCUSDT").stream()
                .filter(p -> p.modelVersion().equals(SeedData.MODEL_2))
                .toList();
        assertThat(page.modelVersion()).isEqualTo(SeedData.MODEL_2);
        assertThat(page.points()).hasSize(SeedData.MODEL_2_TARGETS);
        assertThat(page.points())
                .extracting(PredictionView::predictedClose)
                .containsExactlyElementsOf(
                        expected.stream().map(SeedData.Prediction::predicted).toList());
        assertThat(page.points()).noneMatch(PredictionView::champion);
    }

    @Test
    void servedForecastAtGuardWeightZeroIsTheNaiveOneAndMakesNoDirectionalCall() {
        HistoryPage page = http.toBlocking().retrieve("/price/history?symbol=ETHUSDT&limit=5000", HistoryPage.class);

        List<PredictionView> naiveServed = page.points().stream()
                .filter(p -> p.actualClose() != null && Double.valueOf(0.0).equals(p.guardWeight()))
                .toList();
        assertThat(naiveServed).isNotEmpty().allSatisfy(p -> {
            assertThat(p.predictedClose()).isEqualTo(p.naiveClose());
            assertThat(p.rawPredictedClose()).isNotEqualTo(p.naiveClose());
            assertThat(p.directionHit()).isNull();
        });
    }
}
