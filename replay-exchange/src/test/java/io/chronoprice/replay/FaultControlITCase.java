package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault knobs switched over HTTP while the exchange runs ({@code /replay/faults}). */
class FaultControlITCase {
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

    @Test
    void aPostTurnsTheExchangeBadAndAnEmptyPostTurnsItGoodAgain() {
        HttpResponse<String> set = http.post("/replay/faults?fault-5xx=1&seed=7");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(Http.parse(set.body()).path("fault-5xx").asDouble()).isEqualTo(1.0);
        assertThat(exchange.faults().config())
                .isEqualTo(FaultConfig.NONE.withServerErrors(1).withSeed(7));

        assertThat(IntStream.range(0, 10).mapToObj(i -> http.get(KLINES)))
                .allSatisfy(r -> assertThat(r.statusCode()).isIn(500, 502, 503));
        // The control path itself is never faulty, or a test could not switch the faults off again.
        JsonNode shown = http.getJson("/replay/faults");
        assertThat(shown.path("fault-5xx").asDouble()).isEqualTo(1.0);
        assertThat(shown.path("seed").asLong()).isEqualTo(7);

        assertThat(http.post("/replay/faults").statusCode()).isEqualTo(200);
        assertThat(exchange.faults().config()).isEqualTo(FaultConfig.NONE);
        assertThat(http.get(KLINES).statusCode()).isEqualTo(200);
    }

    @Test
    void aBadParameterIsRejectedAndChangesNothing() {
        http.post("/replay/faults?fault-malformed=0.25");

        HttpResponse<String> outOfRange = http.post("/replay/faults?fault-5xx=2");
        HttpResponse<String> unknown = http.post("/replay/faults?fault-teapot=0.5");
        HttpResponse<String> tooMany = http.post("/replay/faults?fault-5xx=0.6&fault-429=0.6");

        assertThat(outOfRange.statusCode()).isEqualTo(400);
        assertThat(Http.parse(outOfRange.body()).path("msg").asText()).contains("--fault-5xx");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Http.parse(unknown.body()).path("msg").asText()).contains("unknown option: --fault-teapot");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(exchange.faults().config()).isEqualTo(FaultConfig.NONE.withMalformedBodies(0.25));
        assertThat(http.get("/replay/faults/other").statusCode()).isEqualTo(404);
        http.post("/replay/faults");
    }
}
