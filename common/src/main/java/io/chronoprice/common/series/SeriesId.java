package io.chronoprice.common.series;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One candle series, the unit everything is kept and judged by: exchange, symbol and interval, with the one naming
 * rule of live and backtest rows. An exchange is a lower-case name ({@code binance}); a backtest's rows are filed
 * under the exchange name plus {@code @} and the run's label ({@code binance@demo}), so they never mix with live
 * ones and every reader accepts them. Symbols are the exchange's own, upper case ({@code BTCUSDT}, {@code BTC-USD}).
 * {@link #toString()} is the one text form ({@code binance:BTCUSDT:1m}), used as Flink key and split id.
 */
public record SeriesId(String exchange, String symbol, String interval) {

    /** A lower-case exchange name, optionally {@code @} and a backtest run's label. */
    public static final Pattern EXCHANGE = Pattern.compile("[a-z0-9_-]{2,30}(@[a-z0-9_.-]{1,40})?");

    public static final Pattern RUN_LABEL = Pattern.compile("[a-z0-9_.-]{1,40}");
    public static final Pattern SYMBOL = Pattern.compile("[A-Z0-9-]{2,20}");

    public SeriesId {
        exchange = requireMatch("exchange", exchange, EXCHANGE);
        symbol = requireMatch("symbol", symbol, SYMBOL);
        if (CandleInterval.find(interval).isEmpty()) {
            throw new IllegalArgumentException("interval '" + interval + "' is not one of " + CandleInterval.codes());
        }
    }

    /** The series named in canonical case whatever case it was given in; intervals keep theirs (1m is not 1M). */
    public static SeriesId canonical(String exchange, String symbol, String interval) {
        return new SeriesId(canonicalExchange(exchange), canonicalSymbol(symbol), interval);
    }

    /** An exchange name (live or backtest) in canonical (lower) case; fails unless it then matches {@link #EXCHANGE}. */
    public static String canonicalExchange(String exchange) {
        return requireMatch("exchange", lower(exchange), EXCHANGE);
    }

    /** A symbol in canonical (upper) case; fails unless it then matches {@link #SYMBOL}. */
    public static String canonicalSymbol(String symbol) {
        return requireMatch("symbol", upper(symbol), SYMBOL);
    }

    /** The exchange name of a backtest run's rows: {@code binance} and {@code demo} give {@code binance@demo}. */
    public static String backtestExchange(String exchange, String runLabel) {
        String label = requireMatch("run label", lower(runLabel), RUN_LABEL);
        return requireMatch("exchange", lower(exchange) + "@" + label, EXCHANGE);
    }

    /** Whether rows of this exchange name come from a backtest rather than a live exchange. */
    public static boolean isBacktest(String exchange) {
        return exchange.indexOf('@') >= 0;
    }

    public CandleInterval candleInterval() {
        return CandleInterval.fromCode(interval);
    }

    /** The same series under another exchange name, e.g. a backtest run's. */
    public SeriesId withExchange(String exchangeName) {
        return new SeriesId(exchangeName, symbol, interval);
    }

    public static Optional<String> problem(String name, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            return Optional.of(name + " '" + value + "' must match " + pattern.pattern());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key(exchange, symbol, interval);
    }

    /**
     * The text form of a series whose parts were validated where they came in (the job's source): no check, since
     * it is computed for every candle and forecast as their Flink key.
     */
    public static String key(String exchange, String symbol, String interval) {
        return exchange + ":" + symbol + ":" + interval;
    }

    private static String requireMatch(String name, String value, Pattern pattern) {
        problem(name, value, pattern).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return value;
    }

    private static String lower(String value) {
        return value == null ? null : value.strip().toLowerCase(Locale.ROOT);
    }

    private static String upper(String value) {
        return value == null ? null : value.strip().toUpperCase(Locale.ROOT);
    }
}
