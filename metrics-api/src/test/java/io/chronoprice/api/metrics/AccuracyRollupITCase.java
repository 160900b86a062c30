package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code prediction_accuracy()} answers from hourly prefix sums where they are current and from the rows elsewhere.
 * The same function with every hour marked changed reads the rows only, which makes it the row-level computation
 * to compare with; {@link MetricsITCase} checks that one against plain Java. The series here are the seeded real
 * BTC and ETH candles and their forecasts, copied under a backtest run's name so that nothing else reads or writes
 * them.
 */
class AccuracyRollupITCase {

    private static final String EXCHANGE = "binance@rollup-test";
    private static final double RELATIVE = 1e-9;

    private static SeedData seed;

    @BeforeAll
    static void copySeededSeries() throws SQLException {
        seed = TestDatabase.seed();
        try (Connection c = TestDatabase.writer()) {
            c.setAutoCommit(false);
            for (SeedData.Candle candle : seed.allCandles()) {
                TestDatabase.insertCandle(c, EXCHANGE, candle);
            }
            for (SeedData.Prediction p : seed.predictions()) {
                TestDatabase.insertPrediction(c, EXCHANGE, p);
            }
            c.commit();
        }
    }

    /** Leaves the shared database as the other tests expect it. */
    @AfterAll
    static void removeTheCopy() throws SQLException {
        TestDatabase.deleteExchange(EXCHANGE);
    }

    @Test
    void prefixSumsGiveTheRowLevelNumbersForEveryWindow() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.markEveryHourChanged(c, "accuracy_dirty", EXCHANGE);
            Map<String, List<Map<String, Object>>> fromRows = readAll(c);

            TestDatabase.refreshAccuracy(c);
            assertThat(TestDatabase.markers(c, "accuracy_dirty", EXCHANGE)).isZero();
            Map<String, List<Map<String, Object>>> fromSums = readAll(c);

            assertSame(fromSums, fromRows);
            assertThat(fromRows.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());

            // And the sums are what it read: spoil them (in a transaction rolled back) and whole-window answers move.
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE accuracy_cumulative SET sum_abs_error = 2 * sum_abs_error"
                        + " WHERE exchange = '" + EXCHANGE + "'");
            }
            assertThat(accuracy(c, "BTCUSDT", null).get(0).get("mae"))
                    .isNotEqualTo(fromRows.get("BTCUSDT").get(0).get("mae"));
            c.rollback();
        }
    }

    @Test
    void aChangeInsideTheHistoryIsReadFromTheRowsUntilTheNextRefresh() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.refreshAccuracy(c);
            SeedData.Candle middle =
                    seed.candles("BTCUSDT").get(seed.candles("BTCUSDT").size() / 2);
            Map<String, List<Map<String, Object>>> before = readAll(c);

            // A corrected candle changes the outcome of every forecast of its minute, hours before the newest one.
            try (PreparedStatement ps = c.prepareStatement("UPDATE candles SET close = close * 1.01"
                    + " WHERE exchange = ? AND symbol = 'BTCUSDT' AND interval = '1m' AND open_time = ?")) {
                ps.setString(1, EXCHANGE);
                ps.setObject(2, OffsetDateTime.ofInstant(middle.openTime(), ZoneOffset.UTC));
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThat(TestDatabase.markers(c, "accuracy_dirty", EXCHANGE)).isPositive();
            Map<String, List<Map<String, Object>>> changedFromRows = readAll(c);
            assertThat(changedFromRows.get("BTCUSDT")).isNotEqualTo(before.get("BTCUSDT"));

            TestDatabase.refreshAccuracy(c);
            assertSame(readAll(c), changedFromRows);

            TestDatabase.markEveryHourChanged(c, "accuracy_dirty", EXCHANGE);
            assertSame(readAll(c), changedFromRows);
        } finally {
            try (Connection c = TestDatabase.writer();
                    PreparedStatement ps = c.prepareStatement("UPDATE candles SET close = ?"
                            + " WHERE exchange = ? AND symbol = 'BTCUSDT' AND interval = '1m' AND open_time = ?")) {
                SeedData.Candle middle =
                        seed.candles("BTCUSDT").get(seed.candles("BTCUSDT").size() / 2);
                ps.setDouble(1, middle.close());
                ps.setString(2, EXCHANGE);
                ps.setObject(3, OffsetDateTime.ofInstant(middle.openTime(), ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
    }

    @Test
    void withCurrentSumsAWindowReadsOnlyTheRowsOfItsPartialFirstHour() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            long stored = predictionRows(c, "BTCUSDT");
            c.setAutoCommit(false);
            TestDatabase.markEveryHourChanged(c, "accuracy_dirty", EXCHANGE);
            long before = predictionRowsRead(c);
            accuracy(c, "BTCUSDT", null);
            assertThat(predictionRowsRead(c) - before)
                    .as("all hours changed: every row")
                    .isGreaterThanOrEqualTo(stored);
            c.commit();

            TestDatabase.refreshAccuracy(c);
            Instant last = seed.predictions("BTCUSDT")
                    .get(seed.predictions("BTCUSDT").size() - 1)
                    .target();
            before = predictionRowsRead(c);
            accuracy(c, "BTCUSDT", null);
            accuracy(c, "BTCUSDT", last.minus(3, ChronoUnit.HOURS).plusSeconds(17 * 60));
            // The partial first hour of the second window (under 60 targets) for each of the two versions at most.
            assertThat(predictionRowsRead(c) - before)
                    .as("rows read with current sums")
                    .isLessThanOrEqualTo(2 * 60);
            assertThat(stored).as("the series is much longer than that").isGreaterThan(4 * 2 * 60);
            c.commit();
        }
    }

    /**
     * Rows of {@code predictions} this session has read and not yet reported to the statistics collector, which it
     * does at the end of a transaction at the earliest: differences within one transaction are exact. The table is
     * partitioned (V8), so the rows are counted where they are read: in its partitions.
     */
    private static long predictionRowsRead(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(sum(seq_tup_read), 0) + COALESCE(sum(idx_tup_fetch), 0)"
                        + " FROM pg_stat_xact_user_tables"
                        + " WHERE relid IN (SELECT relid FROM pg_partition_tree('predictions'))")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static long predictionRows(Connection c, String symbol) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT count(*) FROM predictions WHERE exchange = ? AND symbol = ?")) {
            ps.setString(1, EXCHANGE);
            ps.setString(2, symbol);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aRefreshReadsOnlyWhatChanged() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.refreshAccuracy(c);
            assertThat(TestDatabase.refreshAccuracy(c)).isZero();
            SeedData.Prediction last =
                    seed.predictions("ETHUSDT").get(seed.predictions("ETHUSDT").size() - 1);
            TestDatabase.insertPrediction(c, EXCHANGE, last.withModelVersion("lstm-rollup-late"));
            assertThat(TestDatabase.refreshAccuracy(c)).isEqualTo(1);
        }
    }

    private static Map<String, List<Map<String, Object>>> readAll(Connection c) throws SQLException {
        Map<String, List<Map<String, Object>>> bySymbol = new TreeMap<>();
        for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            List<SeedData.Prediction> predictions = seed.predictions(symbol);
            for (Instant after : SeedData.windowStarts(
                    predictions.get(0).target(),
                    predictions.get(predictions.size() - 1).target(),
                    37)) {
                rows.addAll(accuracy(c, symbol, after));
            }
            bySymbol.put(symbol, rows);
        }
        return bySymbol;
    }

    private static List<Map<String, Object>> accuracy(Connection c, String symbol, Instant after) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT * FROM prediction_accuracy(?, ?, '1m', ?) ORDER BY model_version")) {
            ps.setString(1, EXCHANGE);
            ps.setString(2, symbol);
            ps.setObject(3, after == null ? null : OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("after", after);
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnName(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Counts exactly, sums to a relative 1e-9 (they are added in another order). */
    private static void assertSame(
            Map<String, List<Map<String, Object>>> actual, Map<String, List<Map<String, Object>>> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String symbol : expected.keySet()) {
            List<Map<String, Object>> a = actual.get(symbol);
            List<Map<String, Object>> e = expected.get(symbol);
            assertThat(a).hasSameSizeAs(e);
            for (int i = 0; i < e.size(); i++) {
                for (Map.Entry<String, Object> column : e.get(i).entrySet()) {
                    Object got = a.get(i).get(column.getKey());
                    Object want = column.getValue();
                    String where = symbol + " after " + e.get(i).get("after") + " "
                            + e.get(i).get("model_version") + " " + column.getKey();
                    if (want instanceof Double w && got instanceof Double g) {
                        assertThat(g).as(where).isCloseTo(w, within(RELATIVE * Math.max(1, Math.abs(w))));
                    } else {
                        assertThat(got).as(where).isEqualTo(want);
                    }
                }
            }
        }
    }
}
