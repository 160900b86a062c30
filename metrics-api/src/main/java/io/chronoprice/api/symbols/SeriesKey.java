package io.chronoprice.api.symbols;

import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.api.problem.Params;
import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.common.series.SeriesId;
import io.micronaut.core.annotation.Nullable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * One candle series of the query string: exchange, symbol and interval, validated and canonicalised by the one naming
 * rule of every component, {@link SeriesId}: a live exchange ({@code binance}) or a backtest run's
 * ({@code binance@demo}) in any case, stored lower-case; the exchange's symbol in any case, stored upper-case; one of
 * the {@link CandleInterval} codes, whose case matters. A value outside the rule is a 400 problem naming the parameter.
 */
public record SeriesKey(String exchange, String symbol, String interval) {

    /**
     * The series filter on a table or view aliased {@code o}, with the named parameters {@code :exchange},
     * {@code :symbol} and {@code :interval} of a repository method (three JDBC parameters in that order, which
     * {@link #bind} sets for plain JDBC, e.g. an EXPLAIN).
     */
    public static final String SQL_FILTER = "o.exchange = :exchange AND o.symbol = :symbol AND o.interval = :interval";

    public static final String DEFAULT_EXCHANGE = "binance";
    public static final String DEFAULT_INTERVAL = CandleInterval.ONE_MINUTE.code();

    /** Parameter values outside the rule are not quoted back: the rule is, in the detail of the 400. */
    static final String EXCHANGE_RULE = "Parameter 'exchange' must be an exchange name, " + SeriesId.EXCHANGE.pattern()
            + " in any case: a live exchange such as binance, or a backtest run's such as binance@demo.";

    static final String SYMBOL_RULE =
            "Parameter 'symbol' must be the exchange's symbol, " + SeriesId.SYMBOL.pattern() + " in any case.";

    static final String INTERVAL_RULE = "Parameter 'interval' must be one of " + CandleInterval.codes() + ".";

    /** Only a series that follows the rule in canonical case: anything else is a bug, not bad input. */
    public SeriesKey {
        SeriesId checked = new SeriesId(exchange, symbol, interval);
        exchange = checked.exchange();
        symbol = checked.symbol();
        interval = checked.interval();
    }

    public static SeriesKey parse(@Nullable String symbol, @Nullable String exchange, @Nullable String interval) {
        String canonicalSymbol =
                part(Params.required("symbol", symbol), SeriesId::canonicalSymbol, "symbol", SYMBOL_RULE);
        String canonicalExchange = isBlank(exchange)
                ? DEFAULT_EXCHANGE
                : part(exchange, SeriesId::canonicalExchange, "exchange", EXCHANGE_RULE);
        String code = isBlank(interval) ? DEFAULT_INTERVAL : interval.strip();
        if (CandleInterval.find(code).isEmpty()) {
            throw ApiProblemException.badParameter("interval", INTERVAL_RULE);
        }
        return new SeriesKey(canonicalExchange, canonicalSymbol, code);
    }

    /** Whether this is a backtest run's series rather than a live one. */
    public boolean isBacktest() {
        return SeriesId.isBacktest(exchange);
    }

    public void bind(PreparedStatement ps) throws SQLException {
        bind(ps, 1);
    }

    /** Binds {@link #SQL_FILTER} at parameters {@code first} to {@code first + 2}. */
    public void bind(PreparedStatement ps, int first) throws SQLException {
        ps.setString(first, exchange);
        ps.setString(first + 1, symbol);
        ps.setString(first + 2, interval);
    }

    /** {@link SeriesId}'s text form, {@code exchange:symbol:interval}. */
    @Override
    public String toString() {
        return SeriesId.key(exchange, symbol, interval);
    }

    private static String part(String value, UnaryOperator<String> canonical, String parameter, String rule) {
        try {
            return canonical.apply(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblemException.badParameter(parameter, rule);
        }
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
