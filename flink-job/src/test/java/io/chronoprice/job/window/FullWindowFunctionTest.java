package io.chronoprice.job.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.candle.Candle;
import java.util.List;
import org.junit.jupiter.api.Test;

class FullWindowFunctionTest {

    private static Candle at(long minute) {
        return new Candle("binance", "BTCUSDT", "1m", minute * 60_000, 10, 11, 9, 10.5, 3, 0);
    }

    @Test
    void candlesArrivingOutOfOrderAreSortedByOpenTime() {
        Candle[] sorted = FullWindowFunction.sortedByOpenTime(List.of(at(3), at(1), at(2)), 3);

        assertThat(sorted).extracting(Candle::openTimeMs).containsExactly(60_000L, 120_000L, 180_000L);
    }

    @Test
    void aWindowOfMoreCandlesThanExpectedKeepsThemAll() {
        Candle[] sorted = FullWindowFunction.sortedByOpenTime(List.of(at(4), at(1), at(3), at(2)), 2);

        assertThat(sorted).extracting(Candle::openTimeMs).containsExactly(60_000L, 120_000L, 180_000L, 240_000L);
    }

    @Test
    void aPartialWindowIsAsLongAsItsCandles() {
        assertThat(FullWindowFunction.sortedByOpenTime(List.of(at(1), at(2)), 60))
                .hasSize(2);
    }

    @Test
    void consecutiveCandlesDoNotSpanAGap() {
        assertThat(FullWindowFunction.spansGap(new Candle[] {at(1), at(2), at(3)}))
                .isFalse();
    }

    @Test
    void aMissingCandleInsideTheWindowIsAGap() {
        assertThat(FullWindowFunction.spansGap(new Candle[] {at(1), at(2), at(4)}))
                .isTrue();
    }

    @Test
    void aRepeatedCandleIsNotAConsecutiveWindow() {
        assertThat(FullWindowFunction.spansGap(new Candle[] {at(1), at(2), at(2)}))
                .isTrue();
    }
}
