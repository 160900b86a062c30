package io.chronoprice.api.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.Plans;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A symbol is known when any exchange has a candle or a prediction of it, found through the primary keys since V13
 * dropped the indexes that led with the symbol: an empty series of a known symbol is an empty answer, an unknown
 * symbol a 404.
 */
@MicronautTest(transactional = false)
class KnownSymbolITCase extends ApiITCaseSupport {

    /** Sorts after the seeded exchanges, so the loose index scan has to step past them to find it. */
    private static final String OTHER_EXCHANGE = "binance@known-symbol-test";

    private static final String CANDLE_ONLY = "CNDLUSDT";
    private static final String PREDICTION_ONLY = "PRDCUSDT";

    @Inject
    @Client("/")
    HttpClient http;

    @BeforeAll
    static void fileTwoSymbolsUnderAnotherExchange() throws SQLException {
        TestDatabase.seed();
        Instant t = Instant.parse("2021-05-14T00:00:00Z");
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.insertCandle(c, OTHER_EXCHANGE, new SeedData.Candle(CANDLE_ONLY, t, 10, 11, 9, 10, 1));
            TestDatabase.insertPrediction(
                    c,
                    OTHER_EXCHANGE,
                    new SeedData.Prediction(
                            PREDICTION_ONLY, SeedData.MODEL_1, t.plusSeconds(60), t, 10, 9.9, 10.1, 10));
        }
    }

    @AfterAll
    static void removeThem() throws SQLException {
        TestDatabase.deleteExchange(OTHER_EXCHANGE);
    }

    @Test
    void aSymbolWithOnlyACandleElsewhereIsKnownSoItsEmptySeriesIsAnEmptyAnswer() {
        HttpResponse<String> metrics = http.toBlocking().exchange(get("/metrics/model", CANDLE_ONLY), String.class);
        assertThat(metrics.code()).isEqualTo(200);
        assertThat(metrics.body()).contains("\"models\":[]");

        HttpResponse<String> history = http.toBlocking().exchange(get("/price/history", CANDLE_ONLY), String.class);
        assertThat(history.code()).isEqualTo(200);
        assertThat(history.body()).contains("\"points\":[]");
    }

    @Test
    void aSymbolWithOnlyAPredictionElsewhereIsKnown() {
        assertThat(http.toBlocking()
                        .exchange(get("/metrics/model", PREDICTION_ONLY), String.class)
                        .code())
                .isEqualTo(200);
        assertThat(http.toBlocking()
                        .exchange(get("/price/history", PREDICTION_ONLY), String.class)
                        .code())
                .isEqualTo(200);
    }

    @Test
    void aSymbolNoExchangeHasIsUnknown() {
        for (String path : new String[] {"/metrics/model", "/price/history"}) {
            HttpClientResponseException e =
                    catchThrowableOfType(HttpClientResponseException.class, () -> http.toBlocking()
                            .exchange(get(path, "ZZZZUSDT"), String.class));
            assertThat(e.getStatus().getCode()).as(path).isEqualTo(404);
            assertThat(e.getResponse().getBody(String.class).orElse(""))
                    .as(path)
                    .contains("Unknown symbol ZZZZUSDT");
        }
    }

    @Test
    void theCheckWalksThePrimaryKeysOnly() throws Exception {
        String plan = Plans.explain(SymbolRepository.EXISTS, ps -> {
            ps.setString(1, CANDLE_ONLY);
            ps.setString(2, CANDLE_ONLY);
        });
        assertThat(plan).contains("candles_p").contains("pkey").doesNotContain("Seq Scan");
    }

    private static HttpRequest<?> get(String path, String symbol) {
        return HttpRequest.GET(path + "?symbol=" + symbol);
    }
}
