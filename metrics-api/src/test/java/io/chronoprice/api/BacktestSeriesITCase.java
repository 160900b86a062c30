package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.metrics.MetricsReport;
import io.chronoprice.api.metrics.ModelMetrics;
import io.chronoprice.api.price.Candle;
import io.chronoprice.api.price.HistoryPage;
import io.chronoprice.api.price.PredictionView;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.api.symbols.TrackedSeries;
import io.micronaut.core.type.Argument;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backtest run's series ({@code binance@demo}, as {@code ./chronoprice backtest DIR demo} files its rows) is a
 * series like any other on every endpoint: its exchange name passes the one naming rule, percent-encoded or not and in
 * any case, and each endpoint answers 200 with that series' rows. Real ETHUSDT candles and the champion's predictions
 * on them, under the backtest's exchange name (the seeded live series stay untouched).
 */
@MicronautTest(transactional = false)
class BacktestSeriesITCase extends ApiITCaseSupport {

    private static final String BACKTEST = "binance@demo";
    private static final String SYMBOL = "ETHUSDT";
    /** Candles 0..N-1 and the predictions for targets 1..N: the last one (target N) is unresolved. */
    private static final int N = 100;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EmbeddedServer server;

    private List<SeedData.Candle> candles;
    private List<SeedData.Prediction> predictions;

    @BeforeAll
    void seedBacktestSeries() throws Exception {
        candles = TestDatabase.seed().candles(SYMBOL).subList(0, N);
        predictions = TestDatabase.seed().predictions(SYMBOL).stream()
                .filter(p -> p.modelVersion().equals(SeedData.MODEL_1))
                .filter(p -> !p.target().isAfter(candles.get(N - 1).openTime().plusSeconds(60)))
                .toList();
        try (Connection writer = TestDatabase.writer()) {
            writer.setAutoCommit(false);
            for (SeedData.Candle c : candles) {
                TestDatabase.insertCandle(writer, BACKTEST, c);
            }
            for (SeedData.Prediction p : predictions) {
                TestDatabase.insertPrediction(writer, BACKTEST, p);
            }
            writer.commit();
        }
        assertThat(predictions).hasSize(N);
    }

    @Test
    void symbolsListsTheBacktestSeries() {
        List<TrackedSeries> tracked = http.toBlocking()
                .retrieve(io.micronaut.http.HttpRequest.GET("/symbols"), Argument.listOf(TrackedSeries.class));

        assertThat(tracked)
                .filteredOn(t -> t.exchange().equals(BACKTEST))
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.symbol()).isEqualTo(SYMBOL);
                    assertThat(t.interval()).isEqualTo("1m");
                    assertThat(t.latestCandleOpenTime())
                            .isEqualTo(candles.get(N - 1).openTime());
                    assertThat(t.latestPredictionTargetTime())
                            .isEqualTo(predictions.get(N - 1).target());
                });
    }

    @Test
    void latestIsTheBacktestsNewestCandleWhetherTheAtIsEncodedOrNotAndInAnyCase() {
        for (String exchange : List.of("binance%40demo", "binance@demo", "Binance%40DEMO")) {
            Candle latest =
                    http.toBlocking().retrieve("/price/latest?symbol=ethusdt&exchange=" + exchange, Candle.class);

            assertThat(latest.exchange()).isEqualTo(BACKTEST);
            assertThat(latest.symbol()).isEqualTo(SYMBOL);
            assertThat(latest.openTime()).isEqualTo(candles.get(N - 1).openTime());
            assertThat(latest.close()).isEqualTo(candles.get(N - 1).close());
        }
    }

    @Test
    void predictionIsTheBacktestsNewestUnresolvedOne() {
        PredictionView p = http.toBlocking()
                .retrieve("/price/prediction?symbol=ETHUSDT&exchange=binance%40demo", PredictionView.class);

        SeedData.Prediction expected = predictions.get(N - 1);
        assertThat(p.exchange()).isEqualTo(BACKTEST);
        assertThat(p.targetOpenTime()).isEqualTo(expected.target());
        assertThat(p.predictedClose()).isEqualTo(expected.predicted());
        assertThat(p.modelVersion()).isEqualTo(SeedData.MODEL_1);
        assertThat(p.actualClose()).isNull();
    }

    @Test
    void historyHasEveryBacktestPointWithItsActual() {
        HistoryPage page = http.toBlocking()
                .retrieve(
                        "/price/history?symbol=ETHUSDT&exchange=binance%40demo&interval=1m&limit=1000",
                        HistoryPage.class);

        assertThat(page.exchange()).isEqualTo(BACKTEST);
        assertThat(page.points()).hasSize(N);
        assertThat(page.points())
                .extracting(PredictionView::targetOpenTime)
                .containsExactlyElementsOf(
                        predictions.stream().map(SeedData.Prediction::target).toList());
        assertThat(page.points().get(0).actualClose()).isEqualTo(candles.get(1).close());
        assertThat(page.points().get(N - 1).actualClose()).isNull();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void metricsJudgeTheBacktestsResolvedPredictions() {
        MetricsReport report = http.toBlocking()
                .retrieve("/metrics/model?symbol=ETHUSDT&exchange=binance%40demo&window=all", MetricsReport.class);

        assertThat(report.exchange()).isEqualTo(BACKTEST);
        ModelMetrics champion = report.models().stream()
                .filter(m -> m.modelVersion().equals(SeedData.MODEL_1))
                .findFirst()
                .orElseThrow();
        assertThat(champion.predictions()).isEqualTo(N);
        assertThat(champion.resolved()).isEqualTo(N - 1);
        double mae = predictions.subList(0, N - 1).stream()
                .mapToDouble(p -> Math.abs(p.predicted() - actual(p)))
                .average()
                .orElseThrow();
        assertThat(champion.mae()).isCloseTo(mae, within(1e-9 * mae));
    }

    @Test
    void liveStreamsTheBacktestSeriesWithItsSeriesInTheEventId() throws Exception {
        // A series of its own, so the rows the other tests count stay as seeded.
        String exchange = "binance@demo-live";
        SeedData.Candle known = candles.get(0);
        SeedData.Prediction prediction = predictions.get(0);
        try (Connection writer = TestDatabase.writer()) {
            TestDatabase.insertCandle(writer, exchange, known);
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(server.getURL() + "/live?symbol=ETHUSDT&exchange=binance%40demo-live"))
                    .header("Accept", "text/event-stream")
                    .build();
            HttpResponse<Stream<String>> response = java.net.http.HttpClient.newHttpClient()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .get();
            assertThat(response.statusCode()).isEqualTo(200);
            CompletableFuture.runAsync(() -> response.body().forEach(lines::add));
            Thread.sleep(300);

            TestDatabase.insertPrediction(writer, exchange, prediction);

            await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains("event: prediction"));
            assertThat(lines)
                    .contains("id: prediction:binance@demo-live:ETHUSDT:1m:" + prediction.target() + ":"
                            + SeedData.MODEL_1);
            assertThat(lines).anyMatch(l -> l.startsWith("data:") && l.contains("\"exchange\":\"" + exchange + "\""));
        }
    }

    private double actual(SeedData.Prediction p) {
        return candles.stream()
                .filter(c -> c.openTime().equals(p.target()))
                .findFirst()
                .orElseThrow()
                .close();
    }
}
