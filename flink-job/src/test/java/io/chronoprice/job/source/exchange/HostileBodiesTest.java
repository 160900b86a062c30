package io.chronoprice.job.source.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real recorded Binance and Coinbase bodies (ccxt's fixtures, {@code source/real/}) and hostile variants of them:
 * every variant gives a counted rejection or a retry (a malformed response), never a silent loss.
 */
class HostileBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;
    private static final long BINANCE_FIRST = 1_706_630_400_000L; // 2024-01-30T16:00Z, the body's first row
    private static final long COINBASE_OPEN = 1_710_327_600_000L; // 2024-03-13T11:00Z, the body's only row

    @Test
    void theRealBinanceBodyParsesExactlyAndItsOpenLastRowWaits() throws Exception {
        CandleBatch closed = binance(body("binance_spot_BTCUSDT_1h.json"), BINANCE_FIRST + 3 * HOUR);
        CandleBatch lastOpen = binance(body("binance_spot_BTCUSDT_1h.json"), BINANCE_FIRST + 2 * HOUR + 1);

        assertThat(closed.candles()).hasSize(3);
        assertThat(closed.candles().get(0))
                .isEqualTo(new Candle(
                        "binance", "BTCUSDT", "1h", BINANCE_FIRST, 43519.34, 43936.0, 43171.0, 43488.71, 20.55495, 0));
        assertThat(closed.rejections()).isEmpty();
        assertThat(lastOpen.candles()).hasSize(2);
        assertThat(lastOpen.rejections()).as("the open candle is not an error").isEmpty();
        assertThat(lastOpen.nextFromMs()).isEqualTo(BINANCE_FIRST + 2 * HOUR);
    }

    @Test
    void binanceRowsOutOfOrderAreAllKeptOldestFirst() throws Exception {
        ArrayNode rows = rows("binance_spot_BTCUSDT_1h.json");
        List<JsonNode> shuffled = new ArrayList<>();
        rows.forEach(shuffled::add);
        Collections.reverse(shuffled);

        CandleBatch batch = binance(JSON.createArrayNode().addAll(shuffled).toString(), BINANCE_FIRST + 3 * HOUR);

        assertThat(batch.candles())
                .extracting(Candle::openTimeMs)
                .containsExactly(BINANCE_FIRST, BINANCE_FIRST + HOUR, BINANCE_FIRST + 2 * HOUR);
        assertThat(batch.nextFromMs()).isEqualTo(BINANCE_FIRST + 3 * HOUR);
    }

    @Test
    void contentAfterTheJsonIsAMalformedResponseForBothExchanges() {
        String html = "\n<html><body>Served by edge-42</body></html>";

        assertThatThrownBy(() -> binance(body("binance_spot_BTCUSDT_1h.json") + html, BINANCE_FIRST + 3 * HOUR))
                .isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> binance(body("binance_spot_BTCUSDT_1h.json") + "[]", BINANCE_FIRST + 3 * HOUR))
                .isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> coinbase(body("coinbaseexchange_BTCUSDT_1h.json") + "junk", COINBASE_OPEN))
                .isInstanceOf(MalformedResponseException.class);
    }

    @Test
    void coinbaseTimesInMillisecondsAreCountedAsFutureRowsNotDroppedAsOpen() throws Exception {
        ArrayNode rows = rows("coinbaseexchange_BTCUSDT_1h.json");
        ((ArrayNode) rows.get(0)).set(0, JSON.getNodeFactory().numberNode(COINBASE_OPEN));

        CandleBatch batch = coinbase(rows.toString(), COINBASE_OPEN);

        assertThat(batch.candles()).isEmpty();
        assertThat(batch.rejections()).extracting(Rejection::reason).containsExactly(RejectReason.FUTURE_TIME);
        assertThat(coinbase(body("coinbaseexchange_BTCUSDT_1h.json"), COINBASE_OPEN)
                        .candles())
                .as("the real body, same request")
                .hasSize(1);
    }

    @Test
    void aBinanceRowOpeningAfterTheServerTimeIsCounted() throws Exception {
        ArrayNode rows = rows("binance_spot_BTCUSDT_1h.json");
        ((ArrayNode) rows.get(2)).set(0, JSON.getNodeFactory().numberNode(BINANCE_FIRST * 1000));

        CandleBatch batch = binance(rows.toString(), BINANCE_FIRST + 3 * HOUR);

        assertThat(batch.candles()).hasSize(2);
        assertThat(batch.rejections()).extracting(Rejection::reason).containsExactly(RejectReason.FUTURE_TIME);
    }

    @Test
    void timesBeyondTheRangeOfALongAreRejectedNotTruncatedOrWrapped() throws Exception {
        ArrayNode binanceRows = rows("binance_spot_BTCUSDT_1h.json");
        ((ArrayNode) binanceRows.get(0))
                .set(0, JSON.getNodeFactory().numberNode(new java.math.BigInteger("18446744073709551616")));
        ArrayNode coinbaseRows = rows("coinbaseexchange_BTCUSDT_1h.json");
        // Fits a long as seconds, but its milliseconds wrap around to a negative number.
        ((ArrayNode) coinbaseRows.get(0)).set(0, JSON.getNodeFactory().numberNode(Long.MAX_VALUE / 100));

        CandleBatch binance = binance(binanceRows.toString(), BINANCE_FIRST + 3 * HOUR);
        CandleBatch coinbase = coinbase(coinbaseRows.toString(), COINBASE_OPEN);

        assertThat(binance.candles()).hasSize(2);
        assertThat(binance.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.UNPARSEABLE_FIELD);
            assertThat(r.detail()).contains("out of range");
        });
        assertThat(coinbase.candles()).isEmpty();
        assertThat(coinbase.rejections()).extracting(Rejection::reason).containsExactly(RejectReason.UNPARSEABLE_FIELD);
    }

    @Test
    void aDuplicatedRowIsDroppedQuietlyWhenIdenticalAndCountedWhenItsCloseDiffers() throws Exception {
        ArrayNode rows = rows("binance_spot_BTCUSDT_1h.json");
        rows.add(rows.get(1).deepCopy());
        ArrayNode conflicting = (ArrayNode) rows.get(0).deepCopy();
        conflicting.set(4, JSON.getNodeFactory().textNode("43400.00000000"));
        rows.add(conflicting);

        CandleBatch batch = binance(rows.toString(), BINANCE_FIRST + 3 * HOUR);

        assertThat(batch.candles()).hasSize(3);
        assertThat(batch.candles().get(0).close())
                .as("the first row of an open time is kept")
                .isEqualTo(43488.71);
        assertThat(batch.rejections())
                .extracting(Rejection::reason)
                .containsExactly(RejectReason.CONFLICTING_DUPLICATE);
    }

    private static CandleBatch binance(String body, long serverTime) throws MalformedResponseException {
        return BinanceKlines.parse(body, "BTCUSDT", CandleInterval.fromCode("1h"), BINANCE_FIRST, serverTime, -1);
    }

    /** The Coinbase body's hour requested as the window's end; the server time is an hour and a bit later. */
    private static CandleBatch coinbase(String body, long end) throws MalformedResponseException {
        return CoinbaseCandles.parse(
                body, "BTC-USDT", CandleInterval.fromCode("1h"), end, end, COINBASE_OPEN + HOUR + 60_000L);
    }

    private static String body(String name) {
        return Fixtures.read("real/" + name);
    }

    private static ArrayNode rows(String name) throws Exception {
        return (ArrayNode) JSON.readTree(body(name));
    }
}
