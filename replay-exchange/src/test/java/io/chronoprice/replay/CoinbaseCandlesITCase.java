package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoinbaseCandlesITCase {
    private static final long NOW = 1621036800000L + 30_000L; // 2021-05-15 00:00:30 UTC
    private static final long START_SECONDS = 1621000800L; // 2021-05-14 14:00 UTC

    private static ReplayExchange exchange;
    private static Http http;

    @BeforeAll
    static void start() throws IOException {
        exchange = ReplayExchange.builder()
                .dataDir(CandleFiles.DEMO_DATA)
                .clock(VirtualClock.frozenAt(NOW))
                .start();
        http = new Http(exchange);
    }

    @AfterAll
    static void stop() {
        exchange.close();
    }

    @Test
    void servesThreeHundredCandlesNewestFirstAsNumbersFromTheUsdtRecording() {
        long end = START_SECONDS + 299 * 60;
        JsonNode rows = http.getJson("/products/ETH-USD/candles?granularity=60&start=" + START_SECONDS + "&end=" + end);

        assertThat(rows).hasSize(300);
        assertThat(rows.get(0).get(0).asLong()).isEqualTo(end);
        assertThat(rows.get(299).get(0).asLong()).isEqualTo(START_SECONDS);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).get(0).asLong())
                    .isLessThan(rows.get(i - 1).get(0).asLong());
        }
        JsonNode binance = http.getJson(
                        "/api/v3/klines?symbol=ETHUSDT&interval=1m&limit=1&startTime=" + START_SECONDS * 1000)
                .get(0);
        JsonNode oldest = rows.get(299);
        assertThat(oldest).hasSize(6).allSatisfy(n -> assertThat(n.isNumber()).isTrue());
        assertThat(oldest.get(1).decimalValue())
                .isEqualByComparingTo(new BigDecimal(binance.get(3).asText())); // low
        assertThat(oldest.get(2).decimalValue())
                .isEqualByComparingTo(new BigDecimal(binance.get(2).asText())); // high
        assertThat(oldest.get(3).decimalValue())
                .isEqualByComparingTo(new BigDecimal(binance.get(1).asText())); // open
        assertThat(oldest.get(4).decimalValue())
                .isEqualByComparingTo(new BigDecimal(binance.get(4).asText())); // close
        assertThat(oldest.get(5).decimalValue())
                .isEqualByComparingTo(new BigDecimal(binance.get(5).asText())); // vol
    }

    @Test
    void rejectsARangeOfMoreThanThreeHundredCandles() {
        HttpResponse<String> response = http.get("/products/BTC-USD/candles?granularity=60&start=" + START_SECONDS
                + "&end=" + (START_SECONDS + 300 * 60));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.parse(response.body()).get("message").asText())
                .isEqualTo("granularity too small for the requested time range. "
                        + "Count of aggregations requested exceeds 300");
    }

    @Test
    void acceptsIsoTimesAndServesTheCandleInProgressFlatAtItsOpen() {
        JsonNode rows = http.getJson(
                "/products/BTC-USDT/candles?granularity=60&start=2021-05-14T23:58:00Z&end=2021-05-15T00:05:00Z");

        // 23:58 and 23:59 are closed; 00:00 is still open at 00:00:30 and later ones are in the virtual future.
        assertThat(rows).extracting(r -> r.get(0).asLong()).containsExactly(1621036800L, 1621036740L, 1621036680L);
        JsonNode open = rows.get(0);
        assertThat(open.get(1).decimalValue())
                .as("low, high, open and close are all the open: nothing after it is known yet")
                .isEqualByComparingTo(open.get(3).decimalValue())
                .isEqualByComparingTo(open.get(2).decimalValue())
                .isEqualByComparingTo(open.get(4).decimalValue());
    }

    @Test
    void withoutARangeServesTheNewestThreeHundredCandlesWithTheOneInProgressFirst() {
        JsonNode rows = http.getJson("/products/SOL-USD/candles?granularity=60");

        assertThat(rows).hasSizeLessThanOrEqualTo(300).isNotEmpty();
        // SOLUSDT has a real gap from 2021-05-14 20:31 to 2021-05-15 21:19, so its newest closed candle is 20:31.
        assertThat(rows.get(0).get(0).asLong()).isEqualTo(1621024260L);
        JsonNode btc = http.getJson("/products/BTC-USD/candles?granularity=60");
        assertThat(btc).hasSize(300);
        assertThat(btc.get(0).get(0).asLong()).isEqualTo(NOW / 1000 - 30);
        assertThat(btc.get(1).get(0).asLong()).isEqualTo(NOW / 1000 - 30 - 60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"granularity=300", "granularity=120", "granularity=abc", ""})
    void rejectsGranularitiesThatAreNotRecorded(String query) {
        HttpResponse<String> response = http.get("/products/BTC-USD/candles?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.parse(response.body()).get("message").asText()).isEqualTo("Unsupported granularity");
    }

    @Test
    void rejectsBadTimesAndAnInvertedRange() {
        assertThat(http.get("/products/BTC-USD/candles?granularity=60&start=soon&end=1621000800")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> inverted =
                http.get("/products/BTC-USD/candles?granularity=60&start=1621000800&end=1620000000");
        assertThat(inverted.statusCode()).isEqualTo(400);
        assertThat(Http.parse(inverted.body()).get("message").asText()).isNotBlank();
    }

    @Test
    void answersNotFoundForUnknownProductsAndPaths() {
        for (String path : new String[] {
            "/products/DOGE-USD/candles?granularity=60",
            "/products/nonsense/candles",
            "/products/BTC-USD/ticker",
            "/nothing"
        }) {
            HttpResponse<String> response = http.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"message\":\"NotFound\"}");
        }
    }

    @Test
    void servesTheVirtualTime() {
        JsonNode time = http.getJson("/time");

        assertThat(time.get("iso").asText()).isEqualTo("2021-05-15T00:00:30.000Z");
        assertThat(time.get("epoch").decimalValue()).isEqualByComparingTo("1621036830");
    }
}
