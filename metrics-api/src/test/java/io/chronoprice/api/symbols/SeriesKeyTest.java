package io.chronoprice.api.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.common.series.SeriesId;
import io.micronaut.http.HttpStatus;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The query string's series follows {@link SeriesId}'s one rule: what it accepts, in its canonical case. */
class SeriesKeyTest {

    @Test
    void defaultsToBinanceAndOneMinuteCandles() {
        assertThat(SeriesKey.parse("BTCUSDT", null, null)).isEqualTo(new SeriesKey("binance", "BTCUSDT", "1m"));
        assertThat(SeriesKey.parse("BTCUSDT", " ", "")).isEqualTo(new SeriesKey("binance", "BTCUSDT", "1m"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Live exchanges and symbols, in any case.
                "BTCUSDT  | binance          | 1m  | binance:BTCUSDT:1m",
                "' btc-usd ' | ' Coinbase '  | 1h  | coinbase:BTC-USD:1h",
                "ethusdt  | BINANCE          | 15m | binance:ETHUSDT:15m",
                "SOLUSDT  | kraken_spot-2    | 1d  | kraken_spot-2:SOLUSDT:1d",
                // Backtest runs' series: exchange@label, labels with dots, dashes and underscores.
                "BTCUSDT  | binance@demo     | 1m  | binance@demo:BTCUSDT:1m",
                "BTCUSDT  | Binance@Demo     | 1m  | binance@demo:BTCUSDT:1m",
                "ETHUSDT  | binance@backtest-20261129-203012 | 5m | binance@backtest-20261129-203012:ETHUSDT:5m",
                "BTC-USD  | coinbase@run_2.1 | 1h  | coinbase@run_2.1:BTC-USD:1h",
            })
    void acceptsWhatSeriesIdAcceptsInItsCanonicalCase(
            String symbol, String exchange, String interval, String expected) {
        SeriesKey key = SeriesKey.parse(symbol, exchange, interval);

        assertThat(key).hasToString(expected);
        assertThat(key.toString())
                .isEqualTo(SeriesId.canonical(exchange, symbol, interval).toString());
        assertThat(key.isBacktest()).isEqualTo(expected.contains("@"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "B",
                "BTCUSDTBTCUSDTBTCUSDT",
                "BTC USDT",
                "BTC'; DROP TABLE candles;--",
                "BTC\u0000USDT",
                "BTC_USDT",
                "BTC/USDT",
                "BTC@DEMO",
                "\uff22\uff34\uff23\uff35\uff33\uff24\uff34",
                "BTC\u00c9"
            })
    void refusesSymbolsOutsideTheRule(String symbol) {
        assertBadParameter(() -> SeriesKey.parse(symbol, null, null), "symbol", symbol);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "x",
                "binance'--",
                "b\u0000b",
                "binance@",
                "@demo",
                "binance@demo@again",
                "binance@de mo",
                "binance@demo/x",
                "binance:BTCUSDT",
                "binance@" + "x" + "0123456789012345678901234567890123456789",
                "exchange-name-longer-than-thirty",
                "b\u00ednance"
            })
    void refusesExchangesOutsideTheRule(String exchange) {
        assertBadParameter(() -> SeriesKey.parse("BTCUSDT", exchange, null), "exchange", exchange);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7x", "1 m", "2M", "1H", "1M", "1s", "1w", "3d"})
    void refusesIntervalsOtherThanTheCandleIntervalsWhoseCaseMatters(String interval) {
        assertBadParameter(() -> SeriesKey.parse("BTCUSDT", null, interval), "interval", interval);
    }

    @Test
    void requiresASymbol() {
        assertBadParameter(() -> SeriesKey.parse(null, "binance", "1m"), "symbol", null);
        assertBadParameter(() -> SeriesKey.parse(" ", "binance", "1m"), "symbol", null);
    }

    @Test
    void aKeyOutsideTheRuleCannotBeBuiltInCode() {
        assertThatThrownBy(() -> new SeriesKey("Binance", "BTCUSDT", "1m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SeriesKey("binance", "btcusdt", "1m"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindsTheFilterParametersInOrderFromTheGivenIndex() throws Exception {
        List<Object> calls = new ArrayList<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + " " + args[0] + " " + args[1]);
                    return null;
                });

        new SeriesKey("binance@demo", "BTCUSDT", "1m").bind(ps, 3);

        assertThat(calls).containsExactly("setString 3 binance@demo", "setString 4 BTCUSDT", "setString 5 1m");
        assertThat(SeriesKey.SQL_FILTER).contains(":exchange", ":symbol", ":interval");
    }

    private static void assertBadParameter(Runnable call, String parameter, String value) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, call::run);

        assertThat(problem).as("refused").isNotNull();
        assertThat(problem.status().getCode()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(problem.parameter()).isEqualTo(parameter);
        // A fixed detail per parameter: the value is not quoted back.
        if (value != null && !value.isBlank()) {
            assertThat(problem.getMessage())
                    .isEqualTo(
                            switch (parameter) {
                                case "symbol" -> SeriesKey.SYMBOL_RULE;
                                case "exchange" -> SeriesKey.EXCHANGE_RULE;
                                default -> SeriesKey.INTERVAL_RULE;
                            });
        }
    }
}
