package io.chronoprice.api.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chronoprice.api.problem.ApiProblemException;
import io.micronaut.http.HttpStatus;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesKeyTest {

    @Test
    void defaultsToBinanceAndOneMinuteCandles() {
        assertThat(SeriesKey.parse("BTCUSDT", null, null)).isEqualTo(new SeriesKey("binance", "BTCUSDT", "1m"));
        assertThat(SeriesKey.parse("BTCUSDT", " ", "")).isEqualTo(new SeriesKey("binance", "BTCUSDT", "1m"));
    }

    @Test
    void canonicalisesCaseAsTheJobWritesIt() {
        assertThat(SeriesKey.parse(" btc-usd ", " Coinbase ", "1h"))
                .isEqualTo(new SeriesKey("coinbase", "BTC-USD", "1h"));
    }

    @Test
    void keepsTheCaseOfIntervalsBecauseMonthAndMinuteDifferOnlyInCase() {
        assertThat(SeriesKey.parse("BTCUSDT", null, "1M").interval()).isEqualTo("1M");
        assertThat(SeriesKey.parse("BTCUSDT", null, "1m").interval()).isEqualTo("1m");
        assertBadParameter(() -> SeriesKey.parse("BTCUSDT", null, "1H"), "interval");
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
                "\uff22\uff34\uff23\uff35\uff33\uff24\uff34",
                "BTC\u00c9"
            })
    void refusesSymbolsOutsideThePattern(String symbol) {
        assertBadParameter(() -> SeriesKey.parse(symbol, null, null), "symbol");
    }

    @Test
    void requiresASymbol() {
        assertBadParameter(() -> SeriesKey.parse(null, "binance", "1m"), "symbol");
        assertBadParameter(() -> SeriesKey.parse(" ", "binance", "1m"), "symbol");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "x|exchange",
                "binance'--|exchange",
                "b\u0000b|exchange",
                "7x|interval",
                "1 m|interval",
                "2M|interval"
            })
    void refusesExchangesAndIntervalsOutsideTheirRules(String value, String parameter) {
        assertBadParameter(
                () -> SeriesKey.parse(
                        "BTCUSDT",
                        parameter.equals("exchange") ? value : null,
                        parameter.equals("interval") ? value : null),
                parameter);
    }

    @Test
    void bindsTheFilterParametersInOrderFromTheGivenIndex() throws Exception {
        List<Object> calls = new ArrayList<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + " " + args[0] + " " + args[1]);
                    return null;
                });

        new SeriesKey("binance", "BTCUSDT", "1m").bind(ps, 3);

        assertThat(calls).containsExactly("setString 3 binance", "setString 4 BTCUSDT", "setString 5 1m");
        assertThat(SeriesKey.SQL_FILTER).contains(":exchange", ":symbol", ":interval");
    }

    private static void assertBadParameter(Runnable call, String parameter) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, call::run);

        assertThat(problem).as("refused").isNotNull();
        assertThat(problem.status().getCode()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(problem.parameter()).isEqualTo(parameter);
    }
}
