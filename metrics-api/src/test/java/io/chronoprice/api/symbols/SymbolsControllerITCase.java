package io.chronoprice.api.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /symbols}: every seeded series with its latest candle and prediction. */
@MicronautTest(transactional = false)
class SymbolsControllerITCase extends ApiITCaseSupport {

    private final SeedData seed = TestDatabase.seed();

    @Inject
    @Client("/")
    HttpClient http;

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
}
