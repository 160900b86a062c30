package io.chronoprice.job.source.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import org.junit.jupiter.api.Test;

class BinanceKlinesTest {
    private static final long FIRST_OPEN = 1_620_950_400_000L; // 2021-05-14T00:00Z
    private static final long MINUTE = 60_000L;

    @Test
    void closedRowsAreParsedOldestFirstWithPricesFromStrings() throws Exception {
        long serverTime = FIRST_OPEN + 5 * MINUTE; // every recorded row has closed

        CandleBatch batch = BinanceKlines.parse(
                Fixtures.read("binance-klines-BTCUSDT-1m.json"),
                "BTCUSDT",
                CandleInterval.ONE_MINUTE,
                FIRST_OPEN,
                serverTime,
                42);

        assertThat(batch.candles()).hasSize(5);
        assertThat(batch.candles().get(0))
                .isEqualTo(new Candle(
                        "binance", "BTCUSDT", "1m", FIRST_OPEN, 49671.92, 49684.55, 49591.53, 49606.05, 82.397196, 0));
        assertThat(batch.candles()).extracting(Candle::openTimeMs).isSorted();
        assertThat(batch.rejections()).isEmpty();
        assertThat(batch.nextFromMs()).isEqualTo(FIRST_OPEN + 5 * MINUTE);
        assertThat(batch.upToDate()).as("a page shorter than the limit").isTrue();
        assertThat(batch.usedWeight()).isEqualTo(42);
    }

    @Test
    void theStillOpenLastRowIsDroppedAndFetchedAgainNextTime() throws Exception {
        // The fifth candle (00:04) closes at 00:05; at 00:04:30 it is still open.
        long serverTime = FIRST_OPEN + 4 * MINUTE + 30_000L;

        CandleBatch batch = BinanceKlines.parse(
                Fixtures.read("binance-klines-BTCUSDT-1m.json"),
                "BTCUSDT",
                CandleInterval.ONE_MINUTE,
                FIRST_OPEN,
                serverTime,
                -1);

        assertThat(batch.candles()).extracting(Candle::openTimeMs).doesNotContain(FIRST_OPEN + 4 * MINUTE);
        assertThat(batch.candles()).hasSize(4);
        assertThat(batch.nextFromMs()).isEqualTo(FIRST_OPEN + 4 * MINUTE);
        assertThat(batch.upToDate()).isTrue();
    }

    @Test
    void invalidRowsAreRejectedByReasonAndTheValidOnesKept() throws Exception {
        CandleBatch batch = BinanceKlines.parse(
                Fixtures.read("binance-klines-invalid-rows.json"),
                "BTCUSDT",
                CandleInterval.ONE_MINUTE,
                FIRST_OPEN,
                FIRST_OPEN + 60 * MINUTE,
                -1);

        assertThat(batch.candles()).extracting(Candle::openTimeMs).containsExactly(FIRST_OPEN, FIRST_OPEN + 7 * MINUTE);
        assertThat(batch.rejections())
                .extracting(Rejection::reason)
                .containsExactly(
                        RejectReason.MISSING_FIELD,
                        RejectReason.NON_FINITE_PRICE,
                        RejectReason.NON_POSITIVE_PRICE,
                        RejectReason.INCONSISTENT_RANGE,
                        RejectReason.OFF_GRID_TIME,
                        RejectReason.INVALID_VOLUME);
        assertThat(batch.rejections().get(0).detail()).contains("1620950460000");
        assertThat(batch.nextFromMs()).as("paging moves past rejected rows").isEqualTo(FIRST_OPEN + 8 * MINUTE);
    }

    @Test
    void aTruncatedBodyIsAMalformedResponse() {
        assertThatThrownBy(() -> BinanceKlines.parse(
                        Fixtures.read("binance-klines-truncated.json"),
                        "BTCUSDT",
                        CandleInterval.ONE_MINUTE,
                        FIRST_OPEN,
                        FIRST_OPEN + 60 * MINUTE,
                        -1))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void anErrorObjectInsteadOfRowsIsAMalformedResponse() {
        assertThatThrownBy(() -> BinanceKlines.parse(
                        "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}",
                        "BTCUSDT",
                        CandleInterval.ONE_MINUTE,
                        FIRST_OPEN,
                        FIRST_OPEN,
                        -1))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("expected a JSON array");
    }

    @Test
    void aFullPageIsNotUpToDate() throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < BinanceKlines.LIMIT; i++) {
            long open = FIRST_OPEN + i * MINUTE;
            body.append(i == 0 ? "" : ",")
                    .append("[")
                    .append(open)
                    .append(",\"1\",\"2\",\"0.5\",\"1.5\",\"10\",")
                    .append(open + MINUTE - 1)
                    .append("]");
        }
        body.append("]");

        CandleBatch batch = BinanceKlines.parse(
                body.toString(), "BTCUSDT", CandleInterval.ONE_MINUTE, FIRST_OPEN, FIRST_OPEN + 5000 * MINUTE, -1);

        assertThat(batch.candles()).hasSize(BinanceKlines.LIMIT);
        assertThat(batch.upToDate()).isFalse();
        assertThat(batch.nextFromMs()).isEqualTo(FIRST_OPEN + BinanceKlines.LIMIT * MINUTE);
    }
}
