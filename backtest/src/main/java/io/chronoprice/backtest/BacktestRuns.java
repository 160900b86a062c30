package io.chronoprice.backtest;

import io.chronoprice.common.series.SeriesId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The backtest runs kept beside live data ({@code ./chronoprice backtest --list | --drop LABEL}): a run is every row
 * filed under an exchange name ending in {@code @LABEL}, so it is listed and dropped whole, whatever exchanges it
 * replayed, and live rows (no {@code @}) are never touched.
 */
public final class BacktestRuns {

    /** One run: its label, how many rows it left and the span of its candles. */
    public record Run(String label, long candles, long predictions, Instant firstCandle, Instant lastCandle) {}

    /** Every table that files rows by exchange name, the accuracy sums and their change markers included. */
    static final List<String> TABLES =
            List.of("predictions", "candles", "candle_gaps", "accuracy_cumulative", "accuracy_dirty");

    private static final String RUN_OF = "split_part(exchange, '@', 2)";

    private BacktestRuns() {}

    public static List<Run> list(Connection c) throws SQLException {
        String sql = "SELECT r.label, r.candles, r.first_candle, r.last_candle,"
                + " (SELECT count(*) FROM predictions p WHERE p.exchange = ANY (r.exchanges)) AS predictions"
                + " FROM (SELECT " + RUN_OF + " AS label, count(*) AS candles, min(open_time) AS first_candle,"
                + "              max(open_time) AS last_candle, array_agg(DISTINCT exchange) AS exchanges"
                + "       FROM candles WHERE exchange LIKE '%@%' GROUP BY 1) r"
                + " ORDER BY r.first_candle";
        List<Run> runs = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
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
            long[] deleted = new long[TABLES.size()];
            for (int i = 0; i < TABLES.size(); i++) {
                // Markers filed by the deletes above are removed with the run's own, so nothing is left to refresh.
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM " + TABLES.get(i) + " WHERE exchange LIKE '%@%' AND " + RUN_OF + " = ?")) {
                    ps.setString(1, run);
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
