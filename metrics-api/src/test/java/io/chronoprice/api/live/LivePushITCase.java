package io.chronoprice.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real SSE client (the JDK's HTTP client reading the raw event stream) receives rows written after it
 * connected. The rows go to a separate exchange ('replay') of real ETHUSDT candles so the seeded series that
 * other tests check stay untouched.
 */
@MicronautTest(transactional = false)
class LivePushITCase extends ApiITCaseSupport {

    private static final String EXCHANGE = "replay";
    /** The design target is one poll interval (250 ms) plus two queries; the bound leaves room for a busy CI. */
    private static final Duration PUSH_BOUND = Duration.ofSeconds(2);

    @Inject
    EmbeddedServer server;

    @Test
    void pushesANewPredictionAndThenItsOutcome() throws Exception {
        List<SeedData.Candle> candles = TestDatabase.seed().candles("ETHUSDT");
        SeedData.Candle known = candles.get(0);
        SeedData.Candle target = candles.get(1);
        SeedData.Prediction prediction = new SeedData.Prediction(
                "ETHUSDT",
                SeedData.MODEL_1,
                target.openTime(),
                known.openTime(),
                known.close() * 1.0004,
                known.close() * 0.999,
                known.close() * 1.002,
                known.close());
        try (Connection writer = TestDatabase.writer()) {
            TestDatabase.insertCandle(writer, EXCHANGE, known);

            List<String> lines = new CopyOnWriteArrayList<>();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(server.getURL() + "/live?symbol=ethusdt&exchange=" + EXCHANGE))
                    .header("Accept", "text/event-stream")
                    .build();
            CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newHttpClient()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenApply(r -> {
                        CompletableFuture.runAsync(() -> r.body().forEach(lines::add));
                        return r;
                    });
            // The feed looks back past its first poll, so a write just before the subscription lands is kept.
            Thread.sleep(300);

            TestDatabase.insertPrediction(writer, EXCHANGE, prediction);
            await().atMost(PUSH_BOUND).until(() -> lines.contains("event: prediction"));

            TestDatabase.insertCandle(writer, EXCHANGE, target);
            await().atMost(PUSH_BOUND).until(() -> lines.contains("event: outcome"));

            assertThat(response.get().statusCode()).isEqualTo(200);
            assertThat(response.get().headers().firstValue(DisclaimerFilter.HEADER))
                    .contains(DisclaimerFilter.TEXT);
            String outcome = lines.stream()
                    .filter(l -> l.startsWith("data:") && l.contains("\"actualClose\":" + target.close()))
                    .findFirst()
                    .orElseThrow();
            assertThat(outcome).contains("\"exchange\":\"replay\"", "\"symbol\":\"ETHUSDT\"");
            assertThat(lines).contains("id: prediction:" + target.openTime() + ":" + SeedData.MODEL_1);
        }
    }
}
