package io.chronoprice.common.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeriesIdTest {

    @Test
    void liveAndBacktestSeriesFollowOneRuleAndOneTextForm() {
        SeriesId live = SeriesId.canonical(" Binance ", "btcusdt", "1m");
        SeriesId backtest = live.withExchange(SeriesId.backtestExchange("binance", "Backtest-20261129-203012"));

        assertThat(live).hasToString("binance:BTCUSDT:1m");
        assertThat(backtest).hasToString("binance@backtest-20261129-203012:BTCUSDT:1m");
        assertThat(SeriesId.isBacktest(backtest.exchange())).isTrue();
        assertThat(SeriesId.isBacktest(live.exchange())).isFalse();
        assertThat(new SeriesId("coinbase", "BTC-USD", "1h").candleInterval()).isEqualTo(CandleInterval.ONE_HOUR);
    }

    @Test
    void namesOutsideTheRuleAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new SeriesId("binance", "BTC/USDT", "1m"))
                .hasMessageStartingWith("symbol 'BTC/USDT' must match");
        assertThatThrownBy(() -> new SeriesId("Binance", "BTCUSDT", "1m"))
                .hasMessageStartingWith("exchange 'Binance' must match");
        assertThatThrownBy(() -> new SeriesId("binance:x", "BTCUSDT", "1m")).hasMessageContaining("exchange");
        assertThatThrownBy(() -> new SeriesId("binance", "BTCUSDT", "1M"))
                .hasMessage("interval '1M' is not one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d");
        assertThatThrownBy(() -> SeriesId.backtestExchange("binance", "a b"))
                .hasMessageStartingWith("run label 'a b' must match");
        assertThatThrownBy(() -> SeriesId.backtestExchange("binance", "x".repeat(41)))
                .hasMessageContaining("run label");
    }

    @Test
    void eachPartHasItsCanonicalCaseAndTheSameRule() {
        assertThat(SeriesId.canonicalExchange(" Binance@Demo ")).isEqualTo("binance@demo");
        assertThat(SeriesId.canonicalSymbol("btc-usd")).isEqualTo("BTC-USD");
        assertThat(SeriesId.canonical("BINANCE@Demo", "ethusdt", "5m")).hasToString("binance@demo:ETHUSDT:5m");
        assertThatThrownBy(() -> SeriesId.canonicalExchange("binance@")).hasMessageStartingWith("exchange");
        assertThatThrownBy(() -> SeriesId.canonicalExchange(null)).hasMessageStartingWith("exchange");
        assertThatThrownBy(() -> SeriesId.canonicalSymbol("BTC_USDT")).hasMessageStartingWith("symbol");
    }

    @Test
    void intervalsAreOnTheEpochGridAndKnowTheirCoinbaseGranularity() {
        assertThat(CandleInterval.fromCode("15m").alignDown(1_620_950_401_000L)).isEqualTo(1_620_950_400_000L);
        assertThat(CandleInterval.fromSeconds(21_600)).contains(CandleInterval.SIX_HOURS);
        assertThat(CandleInterval.THREE_MINUTES.isCoinbaseGranularity()).isFalse();
        assertThat(CandleInterval.SIX_HOURS.isCoinbaseGranularity()).isTrue();
        assertThatThrownBy(() -> CandleInterval.fromCode("1w")).hasMessageContaining("Unknown candle interval '1w'");
    }
}
