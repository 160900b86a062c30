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
import java.util.concurrent.TimeUnit;
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

    @Inject
    LiveProperties properties;

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
                known.close(),
                new SeedData.Online(
                        known.close() * 1.0008,
                        known.close() * 0.9985,
                        known.close() * 1.0025,
                        0.5,
                        0.125,
                        -0.25,
                        0.0007,
                        0.0009,
                        0.0008));
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
            // Both kinds of event carry how the served forecast was made: raw forecast, guard weight, calibration.
            for (String kind : List.of("prediction", "outcome")) {
                assertThat(dataOf(lines, kind))
                        .contains(
                                "\"rawPredictedClose\":" + prediction.online().rawPredicted(),
                                "\"rawLowerClose\":" + prediction.online().rawLower(),
                                "\"rawUpperClose\":" + prediction.online().rawUpper(),
                                "\"guardWeight\":0.5",
                                "\"calibrationLower\":0.125",
                                "\"calibrationUpper\":-0.25");
            }
            assertThat(lines)
                    .contains("id: prediction:replay:ETHUSDT:1m:" + target.openTime() + ":" + SeedData.MODEL_1)
                    .contains("id: outcome:replay:ETHUSDT:1m:" + target.openTime() + ":" + SeedData.MODEL_1);
        }
    }

    /**
     * Without model_version a stream carries the champion's rows only, as every other endpoint serves the champion;
     * with it, that version's rows only. Both predictions of the same target are written in one transaction.
     */
    @Test
    void streamsTheChampionByDefaultAndANamedVersionOnRequest() throws Exception {
        List<SeedData.Candle> candles = TestDatabase.seed().candles("ETHUSDT");
        String exchange = "replay-versions";
        SeedData.Prediction champion = SeedData.challenger(candles, 5).withModelVersion(SeedData.MODEL_1);
        SeedData.Prediction challenger = SeedData.challenger(candles, 5);
        try (Connection writer = TestDatabase.writer()) {
            TestDatabase.insertCandle(writer, exchange, candles.get(4));
            List<String> byDefault = listen("/live?symbol=ETHUSDT&exchange=" + exchange);
            List<String> named =
                    listen("/live?symbol=ETHUSDT&exchange=" + exchange + "&model_version=" + SeedData.MODEL_2);
            Thread.sleep(300);

            writer.setAutoCommit(false);
            TestDatabase.insertPrediction(writer, exchange, champion);
            TestDatabase.insertPrediction(writer, exchange, challenger);
            writer.commit();
            await().atMost(PUSH_BOUND)
                    .until(() -> byDefault.contains("event: prediction") && named.contains("event: prediction"));
            // Give a wrongly routed second event the time to arrive before checking it did not.
            Thread.sleep(500);

            assertThat(ids(byDefault))
                    .containsExactly(
                            "id: prediction:" + exchange + ":ETHUSDT:1m:" + champion.target() + ":" + SeedData.MODEL_1);
            assertThat(dataOf(byDefault, "prediction")).contains("\"champion\":true", "\"modelStatus\":\"champion\"");
            assertThat(ids(named))
                    .containsExactly("id: prediction:" + exchange + ":ETHUSDT:1m:" + challenger.target() + ":"
                            + SeedData.MODEL_2);
            assertThat(dataOf(named, "prediction")).contains("\"champion\":false", "\"modelStatus\":\"challenger\"");
        }
    }

    /**
     * The response head and a first heartbeat comment arrive at once, not with the series' first row: the JDK client
     * only completes the response when it has the head, and nothing is written to this series.
     */
    @Test
    void sendsTheHeadAndAHeartbeatAtOnceAndThenEveryFifteenSeconds() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(server.getURL() + "/live?symbol=ETHUSDT&exchange=replay-quiet"))
                .header("Accept", "text/event-stream")
                .build();

        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(PUSH_BOUND.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(response.body().findFirst()).contains(": heartbeat");
        assertThat(properties.heartbeat()).isEqualTo(Duration.ofSeconds(15));
    }

    /** Opens an SSE stream and collects its lines as they arrive. */
    private List<String> listen(String path) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .header("Accept", "text/event-stream")
                .build();
        HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> CompletableFuture.runAsync(() -> r.body().forEach(lines::add)));
        return lines;
    }

    private static List<String> ids(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("id:")).toList();
    }

    /** The data line of the first event of a kind: the event's lines lie between blank lines, in any order. */
    private static String dataOf(List<String> lines, String kind) {
        int at = lines.indexOf("event: " + kind);
        assertThat(at).as("event: " + kind).isNotNegative();
        int start = at;
        while (start > 0 && !lines.get(start - 1).isEmpty()) {
            start--;
        }
        for (int i = start; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            if (lines.get(i).startsWith("data:")) {
                return lines.get(i);
            }
        }
        throw new AssertionError("no data line for event " + kind + " in " + lines);
    }
}
