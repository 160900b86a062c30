package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /prometheus} as Prometheus scrapes it: request counts and latency buckets by route and status, the
 * database pool, and the live clients, after real requests to the running server.
 */
@MicronautTest(transactional = false)
class PrometheusEndpointITCase extends ApiITCaseSupport {

    private static final String EXCHANGE = "prometheus";

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)$");

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesRequestMetricsThePoolAndTheLiveClients() throws Exception {
        assertThat(get("/price/prediction?symbol=BTCUSDT").statusCode()).isEqualTo(200);
        assertThat(get("/price/prediction?symbol=NOPE").statusCode()).isEqualTo(404);

        // A bare socket, so that the test decides exactly when the connection closes. The series is the test's own
        // exchange, so that the seeded series other tests check stay untouched.
        try (Socket live = new Socket(server.getHost(), server.getPort())) {
            live.getOutputStream()
                    .write(("GET /live?symbol=BTCUSDT&exchange=" + EXCHANGE
                                    + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            live.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "chronoprice_live_clients") == 1);
        }
        // The server learns that a stream's client left when it next writes to it, a row or the heartbeat (every
        // 15 s; LiveHeartbeatITCase waits for that): push rows until it has.
        List<SeedData.Candle> candles = TestDatabase.seed().candles("BTCUSDT");
        try (Connection writer = TestDatabase.writer()) {
            for (int i = 1; i < candles.size() && value(scrape(), "chronoprice_live_clients") > 0; i++) {
                SeedData.Candle last = candles.get(i - 1);
                TestDatabase.insertPrediction(
                        writer,
                        EXCHANGE,
                        new SeedData.Prediction(
                                "BTCUSDT",
                                SeedData.MODEL_1,
                                candles.get(i).openTime(),
                                last.openTime(),
                                last.close(),
                                last.close() * 0.999,
                                last.close() * 1.001,
                                last.close(),
                                null));
                Thread.sleep(500);
            }
        }
        assertThat(value(scrape(), "chronoprice_live_clients"))
                .as("live clients after the client left")
                .isZero();

        List<Sample> samples = scrape();
        String prediction = "uri=\"/price/prediction\"";
        assertThat(value(samples, "http_server_requests_seconds_count", prediction, "status=\"200\""))
                .isGreaterThanOrEqualTo(1);
        // Micronaut files every 404 under one uri, so that unknown paths cannot blow up the label's cardinality.
        assertThat(value(samples, "http_server_requests_seconds_count", "status=\"404\"", "uri=\"NOT_FOUND\""))
                .isGreaterThanOrEqualTo(1);
        // Buckets, not client-side percentiles: histogram_quantile needs them, and they add up across instances.
        List<Sample> buckets = select(samples, "http_server_requests_seconds_bucket", prediction, "status=\"200\"");
        assertThat(buckets).anyMatch(s -> s.labels().contains("le=\"+Inf\"") && s.value() >= 1);
        assertThat(buckets.size()).isGreaterThan(10);
        assertThat(value(samples, "hikaricp_connections_max", "pool=\"chronoprice-api\""))
                .isPositive();
        assertThat(select(samples, "hikaricp_connections_active", "pool=\"chronoprice-api\""))
                .hasSize(1);
        assertThat(select(samples, "jvm_memory_used_bytes", "area=\"heap\"")).isNotEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private record Sample(String name, String labels, double value) {}

    private List<Sample> scrape() throws Exception {
        HttpResponse<String> response = get("/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        List<Sample> samples = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.add(
                        new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3))));
            }
        }
        return samples;
    }

    /** Samples of one metric that carry every one of the given labels ({@code name="value"}). */
    private static List<Sample> select(List<Sample> samples, String name, String... labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && Stream.of(labels).allMatch(s.labels()::contains))
                .toList();
    }

    /** The sum over the matching samples; NaN when there is none. */
    private static double value(List<Sample> samples, String name, String... labels) {
        List<Sample> found = select(samples, name, labels);
        return found.isEmpty()
                ? Double.NaN
                : found.stream().mapToDouble(Sample::value).sum();
    }
}
