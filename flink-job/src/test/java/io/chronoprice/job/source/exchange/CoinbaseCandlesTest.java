package io.chronoprice.job.source.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import org.junit.jupiter.api.Test;

class CoinbaseCandlesTest {
    private static final long FIRST_OPEN = 1_620_950_400_000L; // 2021-05-14T00:00Z
    private static final long MINUTE = 60_000L;

    @Test
    void newestFirstRowsAreReversedAndMappedFromLowHighOpenClose() throws Exception {
        long end = FIRST_OPEN + 4 * MINUTE;

        CandleBatch batch = CoinbaseCandles.parse(
                Fixtures.read("coinbase-candles-BTC-USD-60.json"),
                "BTC-USD",
                CandleInterval.ONE_MINUTE,
                end,
                end,
                end + MINUTE);

        assertThat(batch.candles())
                .extracting(Candle::openTimeMs)
                .containsExactly(
                        FIRST_OPEN, FIRST_OPEN + MINUTE, FIRST_OPEN + 2 * MINUTE, FIRST_OPEN + 3 * MINUTE, end);
        assertThat(batch.candles().get(0))
                .isEqualTo(new Candle(
                        "coinbase", "BTC-USD", "1m", FIRST_OPEN, 49671.92, 49684.55, 49591.53, 49606.05, 82.397196, 0));
        assertThat(batch.nextFromMs()).isEqualTo(end + MINUTE);
        assertThat(batch.upToDate()).isTrue();
    }

    @Test
    void aWindowWhoseLastCandleWasNotServedIsRequestedAgainFromThatCandle() throws Exception {
        long end = FIRST_OPEN + 10 * MINUTE; // rows stop at 00:04: a gap, or a server whose end is exclusive

        CandleBatch batch = CoinbaseCandles.parse(
                Fixtures.read("coinbase-candles-BTC-USD-60.json"),
                "BTC-USD",
                CandleInterval.ONE_MINUTE,
                end,
                end + 100 * MINUTE,
                end + 101 * MINUTE);

        assertThat(batch.candles()).hasSize(5);
        assertThat(batch.nextFromMs()).isEqualTo(end);
        assertThat(batch.upToDate()).isFalse();
    }

    @Test
    void invalidRowsAreRejected() throws Exception {
        String body = "[[1620950460,49556.28,49665.64,49606.05,49574.03,-1],"
                + "[1620950430,49591.53,49684.55,49671.92,49606.05,82.4],"
                + "[1620950400,0,49684.55,49671.92,49606.05,82.4]]";

        CandleBatch batch = CoinbaseCandles.parse(
                body,
                "BTC-USD",
                CandleInterval.ONE_MINUTE,
                FIRST_OPEN + MINUTE,
                FIRST_OPEN + MINUTE,
                FIRST_OPEN + 2 * MINUTE);

        assertThat(batch.candles()).isEmpty();
        assertThat(batch.rejections())
                .extracting(Rejection::reason)
                .containsExactly(
                        RejectReason.INVALID_VOLUME, RejectReason.OFF_GRID_TIME, RejectReason.NON_POSITIVE_PRICE);
    }

    @Test
    void aTruncatedBodyIsAMalformedResponse() {
        String body = Fixtures.read("coinbase-candles-BTC-USD-60.json");

        assertThatThrownBy(() -> CoinbaseCandles.parse(
                        body.substring(0, body.length() / 2),
                        "BTC-USD",
                        CandleInterval.ONE_MINUTE,
                        FIRST_OPEN,
                        FIRST_OPEN,
                        FIRST_OPEN + MINUTE))
                .isInstanceOf(MalformedResponseException.class);
    }
}
