package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrittenExchangesTest {

    private final WrittenExchanges writes = new WrittenExchanges();

    @Test
    void aWriteRaisesItsExchangesStampOnlyAndARegistryWriteRaisesEveryStamp() {
        long binance = writes.stamp("binance");
        long coinbase = writes.stamp("coinbase");

        writes.written("binance");
        assertThat(writes.stamp("binance")).isGreaterThan(binance);
        assertThat(writes.stamp("coinbase")).isEqualTo(coinbase);

        long afterBinance = writes.stamp("binance");
        writes.written("");
        assertThat(writes.stamp("binance")).isGreaterThan(afterBinance);
        assertThat(writes.stamp("coinbase")).isGreaterThan(coinbase);
    }

    @Test
    void startingToListenRaisesEveryStampAndStoppingRaisesNone() {
        long before = writes.stamp("binance");
        writes.listening(true);
        assertThat(writes.listening()).isTrue();
        long listening = writes.stamp("binance");
        assertThat(listening).isGreaterThan(before);

        writes.listening(false);
        assertThat(writes.listening()).isFalse();
        assertThat(writes.stamp("binance")).isEqualTo(listening);
    }

    @Test
    void pastTheMostExchangesTrackedAWriteRaisesEveryStampAndTheCountsStopGrowing() {
        for (int i = 0; i < WrittenExchanges.MAX_EXCHANGES; i++) {
            writes.written("binance@run-" + i);
        }
        long untracked = writes.stamp("binance@one-too-many");
        long tracked = writes.stamp("binance@run-0");

        writes.written("binance@one-too-many");

        assertThat(writes.stamp("binance@one-too-many")).isGreaterThan(untracked);
        assertThat(writes.stamp("binance@run-0")).as("renewed too").isGreaterThan(tracked);
        assertThat(writes.tracked()).isEqualTo(WrittenExchanges.MAX_EXCHANGES);
    }
}
