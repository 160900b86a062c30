package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionITCase {
    private static final String KLINES = "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5";

    private static ReplayExchange exchange;
    private static Http http;

    @BeforeAll
    static void start() throws IOException {
        exchange =
                ReplayExchange.builder().dataDir(CandleFiles.DEMO_DATA).speed(0).start();
        http = new Http(exchange);
    }

    @AfterAll
    static void stop() {
        exchange.close();
    }

    @BeforeEach
    void noFaults() {
        exchange.faults().configure(FaultConfig.NONE);
    }

    @Test
    void everyRequestFailsWithA5xxAtFractionOne() {
        exchange.faults().configure(FaultConfig.NONE.withServerErrors(1.0));

        assertThat(IntStream.range(0, 30).mapToObj(i -> http.get(i % 2 == 0 ? KLINES : "/products/BTC-USD/candles")))
                .allSatisfy(r -> {
                    assertThat(r.statusCode()).isIn(500, 502, 503);
                    assertThat(Http.parse(r.body()).isObject()).isTrue();
                });
    }

    @Test
    void roughlyHalfTheRequestsFailAtFractionOneHalfReproduciblyForASeed() {
        FaultConfig half = FaultConfig.NONE.withServerErrors(0.5).withSeed(2021);
        exchange.faults().configure(half);
        boolean[] first = failures(200);
        exchange.faults().configure(half);
        boolean[] second = failures(200);

        int failed = 0;
        for (boolean f : first) {
            failed += f ? 1 : 0;
        }
        assertThat(failed).isBetween(70, 130);
        assertThat(second).containsExactly(first);
    }

    @Test
    void a429CarriesRetryAfter() {
        exchange.faults().configure(FaultConfig.NONE.withTooManyRequests(1.0, 7));

        HttpResponse<String> response = http.get(KLINES);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(Http.parse(response.body()).get("code").asInt()).isEqualTo(-1003);
    }

    @Test
    void aMalformedBodyIsNotValidJson() {
        exchange.faults().configure(FaultConfig.NONE.withMalformedBodies(1.0));

        for (String path : new String[] {KLINES, "/api/v3/ping", "/products/BTC-USD/candles?granularity=60"}) {
            HttpResponse<String> response = http.get(path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> Http.JSON.readTree(response.body()))
                    .as(path)
                    .isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void aTruncatedBodyEndsTheConnectionBeforeTheAnnouncedLength() {
        exchange.faults().configure(FaultConfig.NONE.withTruncatedBodies(1.0));

        // Preemptive timeout: java.net.http's request timeout does not cover the body, so a regression would hang.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> http.get(KLINES))
                .isInstanceOf(UncheckedIOException.class));

        exchange.faults().configure(FaultConfig.NONE);
        assertThat(http.get(KLINES).statusCode()).isEqualTo(200);
    }

    @Test
    void delaysResponses() {
        exchange.faults().configure(FaultConfig.NONE.withDelay(300, 1.0));

        long started = System.nanoTime();
        assertThat(http.get(KLINES).statusCode()).isEqualTo(200);

        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    private static boolean[] failures(int n) {
        boolean[] failed = new boolean[n];
        for (int i = 0; i < n; i++) {
            failed[i] = http.get(KLINES).statusCode() >= 500;
        }
        return failed;
    }
}
