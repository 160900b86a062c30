package io.chronoprice.api.symbols;

import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.api.problem.Params;
import io.micronaut.core.annotation.Nullable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One candle series: exchange, symbol and interval, validated and canonicalised from the query string
 * (symbols upper-case, exchanges lower-case, as the job writes them).
 */
public record SeriesKey(String exchange, String symbol, String interval) {

    /**
     * The series filter on a table or view aliased {@code o}, with the named parameters {@code :exchange},
     * {@code :symbol} and {@code :interval} of a repository method (three JDBC parameters in that order, which
     * {@link #bind} sets for plain JDBC, e.g. an EXPLAIN).
     */
    public static final String SQL_FILTER = "o.exchange = :exchange AND o.symbol = :symbol AND o.interval = :interval";

    public static final String DEFAULT_EXCHANGE = "binance";
    public static final String DEFAULT_INTERVAL = "1m";

    private static final Pattern SYMBOL = Pattern.compile("^[A-Za-z0-9-]{2,20}$");
    private static final Pattern EXCHANGE = Pattern.compile("^[A-Za-z0-9_-]{2,30}$");
    // Binance's kline intervals; '1M' (month) and '1m' (minute) differ only in case, so intervals stay as given.
    private static final Set<String> INTERVALS =
            Set.of("1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M");

    public static SeriesKey parse(@Nullable String symbol, @Nullable String exchange, @Nullable String interval) {
        return new SeriesKey(
                exchange == null || exchange.isBlank()
                        ? DEFAULT_EXCHANGE
                        : matching("exchange", exchange.strip(), EXCHANGE).toLowerCase(Locale.ROOT),
                symbol(symbol),
                interval == null || interval.isBlank() ? DEFAULT_INTERVAL : interval(interval.strip()));
    }

    /** A required symbol in canonical (upper) case. */
    public static String symbol(@Nullable String symbol) {
        return matching("symbol", Params.required("symbol", symbol), SYMBOL).toUpperCase(Locale.ROOT);
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

    private static String interval(String interval) {
        if (!INTERVALS.contains(interval)) {
            throw ApiProblemException.badParameter(
                    "interval", "Parameter 'interval' must be one of the exchange intervals, e.g. 1m, 5m, 1h.");
        }
        return interval;
    }

    private static String matching(String name, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw ApiProblemException.badParameter(
                    name, "Parameter '" + name + "' must match " + pattern.pattern() + ".");
        }
        return value;
    }
}
