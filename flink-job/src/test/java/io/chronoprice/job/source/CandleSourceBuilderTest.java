package io.chronoprice.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.connector.source.Boundedness;
import org.junit.jupiter.api.Test;

class CandleSourceBuilderTest {

    private static CandleSourceBuilder minimal() {
        return CandleSource.builder()
                .exchange("binance")
                .baseUri("http://localhost:1")
                .symbols("BTCUSDT");
    }

    @Test
    void aMinimalSourceIsUnboundedAndABoundedOneIsBounded() {
        assertThat(minimal().build().getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(minimal().boundedAtServerTime().build().getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(minimal()
                        .until(Instant.parse("2021-05-15T00:00:00Z"))
                        .build()
                        .getBoundedness())
                .isEqualTo(Boundedness.BOUNDED);
    }

    @Test
    void buildRejectsAnIncompleteOrContradictoryConfigurationWithHelpfulMessages() {
        assertThatThrownBy(() -> CandleSource.builder().build()).hasMessageContaining("exchange(\"binance\")");
        assertThatThrownBy(() -> CandleSource.builder().exchange("kraken").build())
                .hasMessageContaining("Unknown exchange 'kraken'");
        assertThatThrownBy(() -> CandleSource.builder()
                        .exchange("binance")
                        .symbols("BTCUSDT")
                        .build())
                .hasMessageContaining("baseUri(...)");
        assertThatThrownBy(() -> CandleSource.builder()
                        .exchange("binance")
                        .baseUri("http://localhost:1")
                        .symbols("BTCUSDT")
                        .interval("2m")
                        .build())
                .hasMessageContaining("Unknown candle interval '2m'");
        assertThatThrownBy(() -> CandleSource.builder()
                        .exchange("binance")
                        .baseUri("http://localhost:1")
                        .symbols("BTCUSDT")
                        .boundedAtServerTime()
                        .until(Instant.now())
                        .build())
                .hasMessageContaining("Choose one bound");
        assertThatThrownBy(() -> CandleSource.builder()
                        .exchange("binance")
                        .baseUri("localhost:1")
                        .symbols("BTCUSDT")
                        .build())
                .hasMessageContaining("absolute http(s) URI");
        assertThatThrownBy(() -> CandleSource.builder()
                        .exchange("binance")
                        .baseUri("http://localhost:1")
                        .symbols("BTCUSDT")
                        .minPollDelay(Duration.ZERO)
                        .build())
                .hasMessageContaining("min-poll-delay must be positive");
    }

    @Test
    void symbolsFollowTheSeriesNamingRuleAndCoinbaseOnlyItsGranularities() {
        assertThatThrownBy(() -> minimal().symbols("BTC/USDT").build()).hasMessageStartingWith("symbol 'BTC/USDT'");
        assertThatThrownBy(() -> minimal().symbols("btcusdt").build()).hasMessageStartingWith("symbol 'btcusdt'");
        assertThatThrownBy(() -> CandleSource.builder()
                        .exchange("coinbase")
                        .baseUri("http://localhost:1")
                        .symbols("BTC-USD")
                        .interval("3m")
                        .build())
                .hasMessage("Coinbase has no 3m candles: use 1m, 5m, 15m, 1h, 6h or 1d.");
        assertThat(minimal().interval("3m").build())
                .as("Binance has 3m candles")
                .isNotNull();
    }
}
