package io.chronoprice.job.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.CandleSourceOptions;
import io.chronoprice.job.source.exchange.ExchangeException;
import io.chronoprice.job.source.split.CandleSplit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The split reader against a scripted local HTTP server, for exact fault sequences and their timing. */
class CandleSplitReaderFaultsITCase {
    private static final long FIRST_OPEN = 1_620_950_400_000L;
    private static final long MINUTE = 60_000L;
    private static final long SERVER_TIME = FIRST_OPEN + 3 * MINUTE + 10_000L; // three closed, one open

    /** One scripted klines answer: status, headers, body. */
    private record Answer(int status, Map<String, String> headers, String body) {}

    private final Deque<Answer> klinesScript = new ArrayDeque<>();
    private final List<Long> klinesRequestNanos = new ArrayList<>();
    private HttpServer server;
    private CandleSplitReader reader;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v3/time", ex -> respond(ex, 200, Map.of(), "{\"serverTime\":" + SERVER_TIME + "}"));
        server.createContext("/api/v3/klines", ex -> {
            Answer answer;
            synchronized (klinesScript) {
                klinesRequestNanos.add(System.nanoTime());
                answer = klinesScript.isEmpty() ? new Answer(200, Map.of(), klines(4)) : klinesScript.poll();
            }
            respond(ex, answer.status(), answer.headers(), answer.body());
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (reader != null) {
            reader.close();
        }
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code rows} klines from FIRST_OPEN; at SERVER_TIME the fourth one is still open. */
    private static String klines(int rows) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            long open = FIRST_OPEN + i * MINUTE;
            json.append(i == 0 ? "" : ",")
                    .append('[')
                    .append(open)
                    .append(",\"100\",\"110\",\"90\",\"105\",\"1.5\",")
                    .append(open + MINUTE - 1)
                    .append(",\"0\",0,\"0\",\"0\",\"0\"]");
        }
        return json.append(']').toString();
    }

    private SplitReaderDriver driver() {
        // Bounded at the server time: the three closed candles, then done.
        return driver(SERVER_TIME);
    }

    private SplitReaderDriver driver(long endMs) {
        Configuration config = new Configuration();
        config.set(CandleSourceOptions.EXCHANGE, "binance");
        config.set(
                CandleSourceOptions.BASE_URI,
                "http://127.0.0.1:" + server.getAddress().getPort());
        config.set(CandleSourceOptions.SYMBOLS, List.of("BTCUSDT"));
        config.set(CandleSourceOptions.START_AT, FIRST_OPEN);
        config.set(CandleSourceOptions.MIN_POLL_DELAY, Duration.ofMillis(10));
        config.set(CandleSourceOptions.MAX_WAIT, Duration.ofMillis(100));
        config.set(CandleSourceOptions.RETRY_INITIAL_BACKOFF, Duration.ofMillis(5));
        config.set(CandleSourceOptions.RETRY_MAX_BACKOFF, Duration.ofMillis(20));
        reader = new CandleSplitReader(
                config, new CandleSourceReaderMetrics(UnregisteredMetricsGroup.createSourceReaderMetricGroup()));
        return new SplitReaderDriver(
                reader, new CandleSplit("binance", "BTCUSDT", "1m", CandleSplit.NONE_EMITTED, endMs));
    }

    private static List<Long> openTimes(List<Candle> candles) {
        return candles.stream().map(Candle::openTimeMs).collect(Collectors.toList());
    }

    @Test
    void serverErrorsRateLimitsAndBadBodiesAreRetriedAndEachClosedCandleEmittedOnce() throws Exception {
        klinesScript.add(new Answer(503, Map.of(), "{\"code\":-1001,\"msg\":\"Internal error\"}"));
        klinesScript.add(new Answer(429, Map.of("Retry-After", "1"), "{\"code\":-1003,\"msg\":\"Too many\"}"));
        klinesScript.add(new Answer(200, Map.of(), "[[1620950400000,\"100\""));
        klinesScript.add(new Answer(418, Map.of("Retry-After", "0"), "{\"code\":-1003,\"msg\":\"banned\"}"));

        List<Candle> emitted = driver().fetchUntilFinished(Duration.ofSeconds(30));

        assertThat(openTimes(emitted)).containsExactly(FIRST_OPEN, FIRST_OPEN + MINUTE, FIRST_OPEN + 2 * MINUTE);
        assertThat(emitted).allSatisfy(c -> assertThat(c.missingBefore()).isZero());
        // The request after the 429 waited for its Retry-After.
        assertThat(klinesRequestNanos.get(2) - klinesRequestNanos.get(1))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
    }

    @Test
    void aHighUsedWeightPausesRequestsUntilTheNextMinute() throws Exception {
        klinesScript.add(new Answer(200, Map.of("X-MBX-USED-WEIGHT-1m", "1190"), klines(1)));
        // Unbounded, so the two closed candles the page left out are due at once: without the pause the reader
        // would ask for them within milliseconds.
        SplitReaderDriver driver = driver(CandleSplit.NO_END);

        driver.fetchUntil(d -> d.emitted().size() == 1, Duration.ofSeconds(10));
        long millisToNextMinute = 60_000L - System.currentTimeMillis() % 60_000L;
        long requestsBefore = klinesRequestNanos.size();
        long deadline = System.nanoTime()
                + Duration.ofMillis(Math.min(500, millisToNextMinute - 200)).toNanos();
        while (System.nanoTime() < deadline) {
            reader.fetch();
        }

        assertThat(klinesRequestNanos).hasSize((int) requestsBefore);
    }

    @Test
    void aRequestTheExchangeRejectsAsInvalidFailsWithItsMessage() {
        klinesScript.add(new Answer(400, Map.of(), "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"));

        assertThatThrownBy(() -> driver().fetchUntilFinished(Duration.ofSeconds(10)))
                .isInstanceOf(ExchangeException.class)
                .hasMessageContaining("400")
                .hasMessageContaining("Invalid symbol.");
    }
}
