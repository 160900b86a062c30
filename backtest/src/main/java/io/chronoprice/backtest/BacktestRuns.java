package io.chronoprice.backtest;

import io.chronoprice.common.series.SeriesId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The backtest runs kept beside live data ({@code ./chronoprice backtest --list | --drop LABEL}): a run is every row
 * filed under an exchange name ending in {@code @LABEL}, so it is listed and dropped whole, whatever exchanges it
 * replayed, and live rows (no {@code @}) are never touched. A run's candles and predictions are deleted by exchange
 * name, the first column of their primary keys, so that a drop reads the run's rows in each monthly partition
 * (migration V8) rather than every row of every partition.
 */
public final class BacktestRuns {

    /** One run: its label, how many rows it left and the span of its candles. */
    public record Run(String label, long candles, long predictions, Instant firstCandle, Instant lastCandle) {}

    /** Every table that files rows by exchange name, the accuracy sums and their change markers included. */
    static final List<String> TABLES = List.of(
            "predictions",
            "candles",
            "candle_gaps",
            "accuracy_cumulative",
            "accuracy_dirty",
            "loss_difference_cumulative",
            "loss_difference_dirty");

    private static final String RUN_OF = "split_part(exchange, '@', 2)";

    /** The tables large enough to be reached by exchange name; the others are read whole, as they are small. */
    private static final List<String> BY_EXCHANGE = List.of("predictions", "candles");

    /**
     * {@code WITH e(exchange)}: the distinct exchange names of a table with a primary key that starts with the
     * exchange, by one index probe per name (and per partition) instead of reading every row.
     */
    private static String distinctExchanges(String table) {
        return "WITH RECURSIVE e AS ("
                + " (SELECT exchange FROM " + table + " ORDER BY exchange LIMIT 1)"
                + " UNION ALL SELECT (SELECT t.exchange FROM " + table + " t WHERE t.exchange > e.exchange"
                + " ORDER BY t.exchange LIMIT 1) FROM e WHERE e.exchange IS NOT NULL)";
    }

    /** The exchange names of a table that belong to the run labelled by the one parameter. */
    static String exchangesOf(String table) {
        return distinctExchanges(table) + " SELECT exchange FROM e WHERE exchange LIKE '%@%' AND " + RUN_OF + " = ?";
    }

    static final String DELETE_BY_EXCHANGE = "DELETE FROM %s WHERE exchange = ANY (?)";

    private BacktestRuns() {}

    /**
     * The runs, oldest first: the distinct exchange names of the candles, then each backtest name's rows counted
     * through the primary keys, so that live rows are never read.
     */
    static final String LIST = distinctExchanges("candles")
            + " SELECT " + RUN_OF + " AS label, sum(k.candles) AS candles, min(k.first_candle) AS first_candle,"
            + " max(k.last_candle) AS last_candle, sum(p.predictions) AS predictions"
            + " FROM e"
            + " CROSS JOIN LATERAL (SELECT count(*) AS candles, min(open_time) AS first_candle,"
            + " max(open_time) AS last_candle FROM candles c WHERE c.exchange = e.exchange) k"
            + " CROSS JOIN LATERAL (SELECT count(*) AS predictions FROM predictions p"
            + " WHERE p.exchange = e.exchange) p"
            + " WHERE e.exchange LIKE '%@%'"
            + " GROUP BY 1 ORDER BY first_candle";

    public static List<Run> list(Connection c) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(LIST)) {
            while (rs.next()) {
                runs.add(new Run(
                        rs.getString("label"),
                        rs.getLong("candles"),
                        rs.getLong("predictions"),
                        rs.getTimestamp("first_candle").toInstant(),
                        rs.getTimestamp("last_candle").toInstant()));
            }
        }
        return runs;
    }

    /**
     * Deletes every row of the run in one transaction and returns how many rows each table lost, in {@link #TABLES}
     * order. An unknown label deletes nothing; a name that cannot be a label is refused.
     */
    public static long[] drop(Connection c, String label) throws SQLException {
        String run = label == null ? null : label.strip().toLowerCase(Locale.ROOT);
        SeriesId.problem("run label", run, SeriesId.RUN_LABEL).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Set<String> exchanges = new TreeSet<>();
            for (String table : BY_EXCHANGE) {
                try (PreparedStatement ps = c.prepareStatement(exchangesOf(table))) {
                    ps.setString(1, run);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            exchanges.add(rs.getString(1));
                        }
                    }
                }
            }
            Array names = c.createArrayOf("text", exchanges.toArray());
            long[] deleted = new long[TABLES.size()];
            for (int i = 0; i < TABLES.size(); i++) {
                String table = TABLES.get(i);
                // Markers filed by the deletes above are removed with the run's own, so nothing is left to refresh.
                boolean byExchange = BY_EXCHANGE.contains(table);
                try (PreparedStatement ps = c.prepareStatement(
                        byExchange
                                ? DELETE_BY_EXCHANGE.formatted(table)
                                : "DELETE FROM " + table + " WHERE exchange LIKE '%@%' AND " + RUN_OF + " = ?")) {
                    if (byExchange) {
                        ps.setArray(1, names);
                    } else {
                        ps.setString(1, run);
                    }
                    deleted[i] = ps.executeUpdate();
                }
            }
            c.commit();
            return deleted;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
