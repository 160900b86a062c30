package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
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
    void pastTheMostExchangesTrackedNoStampRepeatsOneTakenBefore() {
        Map<String, Long> before = new HashMap<>();
        for (int i = 0; i < WrittenExchanges.MAX_EXCHANGES; i++) {
            String exchange = "binance@run-" + i;
            writes.written(exchange);
            writes.written(exchange);
            before.put(exchange, writes.stamp(exchange));
        }

        writes.written("binance@one-too-many");

        before.forEach((exchange, stamp) -> {
            assertThat(writes.stamp(exchange)).as(exchange).isNotEqualTo(stamp);
            writes.written(exchange);
            writes.written(exchange);
            assertThat(writes.stamp(exchange)).as(exchange).isNotEqualTo(stamp);
        });
    }
}
