package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BinanceKlinesITCase {
    private static final long FIRST_OPEN = 1620950400000L; // 2021-05-14 00:00 UTC
    private static final long LAST_OPEN = 1621540800000L; // 2021-05-20 20:00 UTC

    private ReplayExchange exchange;

    @AfterEach
    void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BTCUSDT", "SOLUSDT"})
    void pagingWithStartTimeAndLimitReturnsEveryCandleOfTheFileOnceInOrder(String symbol) throws IOException {
        exchange = start(ReplayExchange.builder().speed(0));
        Http http = new Http(exchange);
        List<String> served = new ArrayList<>();
        long startTime = 0;
        while (true) {
            JsonNode page = http.getJson(
                    "/api/v3/klines?symbol=" + symbol + "&interval=1m&startTime=" + startTime + "&limit=1000");
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.size()).isLessThanOrEqualTo(1000);
            for (JsonNode row : page) {
                served.add(row.get(0).asLong() + "," + row.get(1).asText() + ","
                        + row.get(2).asText() + "," + row.get(3).asText() + ","
                        + row.get(4).asText() + "," + row.get(5).asText());
            }
            startTime = page.get(page.size() - 1).get(0).asLong() + 1;
        }

        assertThat(served)
                .containsExactlyElementsOf(
                        CandleFiles.dataLines(CandleFiles.DEMO_DATA.resolve("binance_spot_" + symbol + "_1m.csv.gz")));
    }

    @Test
    void servesBinanceRowsWithSynthesizedButConsistentFields() {
        exchange = start(ReplayExchange.builder().speed(0));

        JsonNode row = new Http(exchange)
                .getJson("/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=" + FIRST_OPEN + "&limit=1")
                .get(0);

        // 1620950400000,49671.92,49684.55,49591.53,49606.05,82.397196
        assertThat(row).hasSize(12);
        assertThat(row.get(0).asLong()).isEqualTo(FIRST_OPEN);
        assertThat(row.get(1).isTextual()).isTrue();
        assertThat(row.get(1).asText()).isEqualTo("49671.92");
        assertThat(row.get(5).asText()).isEqualTo("82.397196");
        assertThat(row.get(6).asLong()).isEqualTo(FIRST_OPEN + 59_999);
        assertThat(new BigDecimal(row.get(7).asText()))
                .isEqualByComparingTo(new BigDecimal("82.397196").multiply(new BigDecimal("49606.05")));
        assertThat(row.get(8).isIntegralNumber()).isTrue();
        assertThat(row.get(8).asLong()).isPositive();
        assertThat(new BigDecimal(row.get(9).asText())).isEqualByComparingTo("41.198598");
        assertThat(row.get(11).asText()).isEqualTo("0");
    }

    @Test
    void servesNoCandleNewerThanTheVirtualClockAsClosedAndTheOpenOneLast() {
        long now = 1621036800000L + 30 * 60_000L + 30_000L; // 2021-05-15 00:30:30 UTC
        exchange = start(ReplayExchange.builder().clock(VirtualClock.frozenAt(now)));
        Http http = new Http(exchange);

        JsonNode rows = http.getJson("/api/v3/klines?symbol=ETHUSDT&interval=1m&limit=1000");

        assertThat(rows).hasSize(1000);
        JsonNode last = rows.get(rows.size() - 1);
        assertThat(last.get(0).asLong()).isEqualTo(now - 30_000L);
        assertThat(last.get(6).asLong()).isGreaterThanOrEqualTo(now); // the still-open candle
        // served as it is so far: flat at its open, with half its volume after half a minute
        assertThat(new BigDecimal(last.get(2).asText()))
                .isEqualByComparingTo(last.get(1).asText());
        assertThat(new BigDecimal(last.get(3).asText()))
                .isEqualByComparingTo(last.get(1).asText());
        assertThat(new BigDecimal(last.get(4).asText()))
                .isEqualByComparingTo(last.get(1).asText());
        try (ReplayExchange later = start(ReplayExchange.builder().clock(VirtualClock.frozenAt(now + 60_000L)))) {
            JsonNode closed = new Http(later)
                    .getJson("/api/v3/klines?symbol=ETHUSDT&interval=1m&startTime=" + (now - 30_000L) + "&limit=1")
                    .get(0);
            BigDecimal finalVolume = new BigDecimal(closed.get(5).asText());
            assertThat(new BigDecimal(last.get(5).asText()))
                    .isEqualByComparingTo(finalVolume
                            .divide(BigDecimal.valueOf(2))
                            .setScale(finalVolume.scale(), java.math.RoundingMode.DOWN));
            assertThat(new BigDecimal(closed.get(4).asText()))
                    .as("the closed candle has its recorded close")
                    .isNotEqualByComparingTo(last.get(4).asText());
        }
        for (int i = 0; i < rows.size() - 1; i++) {
            assertThat(rows.get(i).get(6).asLong()).isLessThan(now);
        }
        // An endTime (or startTime) in the virtual future does not reach past the clock either.
        JsonNode future = http.getJson(
                "/api/v3/klines?symbol=ETHUSDT&interval=1m&startTime=" + (now - 120_000) + "&endTime=" + LAST_OPEN);
        assertThat(future).extracting(r -> r.get(0).asLong()).containsExactly(now - 90_000, now - 30_000);
        assertThat(http.getJson("/api/v3/klines?symbol=ETHUSDT&interval=1m&startTime=" + (now + 60_000)))
                .isEmpty();
        assertThat(http.getJson("/api/v3/time").get("serverTime").asLong()).isEqualTo(now);
    }

    @Test
    void aRunningClockReleasesOneMoreCandlePerVirtualMinute() {
        MutableTime real = new MutableTime(0);
        long start = FIRST_OPEN + 60 * 60_000L;
        exchange = start(ReplayExchange.builder().realTime(real).speed(60));
        Http http = new Http(exchange);
        assertThat(http.getJson("/api/v3/time").get("serverTime").asLong()).isEqualTo(start);
        String lastOne = "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1";
        assertThat(http.getJson(lastOne).get(0).get(0).asLong()).isEqualTo(start);

        real.advance(1_000); // one virtual minute at speed 60

        assertThat(http.getJson(lastOne).get(0).get(0).asLong()).isEqualTo(start + 60_000);
        assertThat(http.getJson("/api/v3/time").get("serverTime").asLong()).isEqualTo(start + 60_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown symbol            | symbol=DOGEUSDT&interval=1m                          | -1121",
                "missing symbol            | interval=1m                                          | -1102",
                "missing interval          | symbol=BTCUSDT                                       | -1102",
                "bad interval              | symbol=BTCUSDT&interval=7m                           | -1120",
                "interval not recorded     | symbol=BTCUSDT&interval=1h                           | -1120",
                "limit 0                   | symbol=BTCUSDT&interval=1m&limit=0                   | -1130",
                "limit 1001                | symbol=BTCUSDT&interval=1m&limit=1001                | -1130",
                "non-numeric limit         | symbol=BTCUSDT&interval=1m&limit=ten                 | -1100",
                "non-numeric startTime     | symbol=BTCUSDT&interval=1m&startTime=yesterday       | -1100",
                "negative endTime          | symbol=BTCUSDT&interval=1m&endTime=-5                | -1100",
                "huge startTime            | symbol=BTCUSDT&interval=1m&startTime=99999999999999999999 | -1100",
                "start after end           | symbol=BTCUSDT&interval=1m&startTime=2000&endTime=1000 | -1023",
            })
    void rejectsBadParametersWithBinancesErrorShape(String what, String query, int code) {
        exchange = start(ReplayExchange.builder().speed(0));

        HttpResponse<String> response = new Http(exchange).get("/api/v3/klines?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        JsonNode body = Http.parse(response.body());
        assertThat(body.get("code").asInt()).isEqualTo(code);
        assertThat(body.get("msg").asText()).isNotBlank();
        assertThat(body).hasSize(2);
        assertThat(response.body()).doesNotContain("Exception", "at io.");
    }

    @Test
    void answersPingTimeUnknownPathsAndCountsRequestWeightPerMinute() {
        MutableTime real = new MutableTime(0);
        exchange = start(ReplayExchange.builder().realTime(real));
        Http http = new Http(exchange);

        HttpResponse<String> ping = http.get("/api/v3/ping");
        assertThat(ping.body()).isEqualTo("{}");
        assertThat(ping.headers().firstValue(BinanceApi.WEIGHT_HEADER)).hasValue("1");
        assertThat(http.get("/api/v3/klines?symbol=BTCUSDT&interval=1m")
                        .headers()
                        .firstValue(BinanceApi.WEIGHT_HEADER))
                .hasValue("3");
        real.advance(60_000);
        assertThat(http.get("/api/v3/time").headers().firstValue(BinanceApi.WEIGHT_HEADER))
                .hasValue("1");

        HttpResponse<String> unknown = http.get("/api/v3/depth?symbol=BTCUSDT");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Http.parse(unknown.body()).has("code")).isTrue();
    }

    private static ReplayExchange start(ReplayExchange.Builder builder) {
        try {
            return builder.dataDir(CandleFiles.DEMO_DATA).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
