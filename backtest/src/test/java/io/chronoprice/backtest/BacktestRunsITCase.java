package io.chronoprice.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.db.AccuracyRollups;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.db.MonthlyPartitions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs are listed and dropped whole, on every exchange they replayed, and nothing else is touched. */
class BacktestRunsITCase {

    private static final List<String> EXCHANGES =
            List.of("binance", "binance@a", "coinbase@a", "binance@b", "binance@a2", "binance@x_a");

    private static EmbeddedDatabase db;

    @BeforeAll
    static void seed() throws SQLException {
        db = EmbeddedDatabase.startForTests();
        try (Connection c = db.writer().connect();
                Statement st = c.createStatement()) {
            for (String exchange : EXCHANGES) {
                st.execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                        + " SELECT '" + exchange
                        + "', 'BTCUSDT', '1m', timestamptz '2021-05-14' + g * interval '1 minute',"
                        + " 100, 101, 99, 100 + g % 3, 1 FROM generate_series(0, 120) g");
                st.execute("INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                        + " predicted_close, naive_close, window_end_open_time)"
                        + " SELECT '" + exchange
                        + "', 'BTCUSDT', '1m', timestamptz '2021-05-14' + g * interval '1 minute',"
                        + " 'v', 100.5, 100, timestamptz '2021-05-14' + (g - 1) * interval '1 minute'"
                        + " FROM generate_series(1, 121) g");
                st.execute("INSERT INTO candle_gaps (exchange, symbol, interval, last_open_time_before,"
                        + " first_open_time_after, missing_candles) VALUES ('" + exchange + "', 'BTCUSDT', '1m',"
                        + " '2021-05-13T23:00Z', '2021-05-13T23:05Z', 4)");
            }
            AccuracyRollups.refresh(c);
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void dropDeletesEveryRowOfTheRunOnEveryExchangeAndNothingElse() throws SQLException {
        try (Connection c = db.writer().connect()) {
            assertThat(BacktestRuns.list(c))
                    .extracting(BacktestRuns.Run::label)
                    .containsExactlyInAnyOrder("a", "b", "a2", "x_a");
            assertThat(BacktestRuns.list(c))
                    .filteredOn(r -> r.label().equals("a"))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.candles()).isEqualTo(2 * 121);
                        assertThat(r.predictions()).isEqualTo(2 * 121);
                        assertThat(r.firstCandle()).isEqualTo("2021-05-14T00:00:00Z");
                        assertThat(r.lastCandle()).isEqualTo("2021-05-14T02:00:00Z");
                    });

            long[] deleted = BacktestRuns.drop(c, "A");

            // Predictions, candles and gaps of both exchanges; the accuracy sums of their three hours each; and the
            // change markers, which the deletes themselves file.
            assertThat(deleted).startsWith(2 * 121, 2 * 121, 2, 2 * 3);
            assertThat(deleted[4]).isPositive();
            assertThat(deleted[6]).as("the pair sums' markers").isPositive();
            for (String table : BacktestRuns.TABLES) {
                assertThat(exchanges(c, table)).as(table).doesNotContain("binance@a", "coinbase@a");
            }
            for (String table : List.of("predictions", "candles", "candle_gaps", "accuracy_cumulative")) {
                assertThat(exchanges(c, table))
                        .as(table)
                        .containsExactlyInAnyOrder("binance", "binance@b", "binance@a2", "binance@x_a");
            }
            assertThat(BacktestRuns.drop(c, "a")).containsOnly(0);
        }
    }

    @Test
    void aRunAcrossMonthlyPartitionsIsDroppedWholeAndReachedByIndex() throws SQLException {
        Instant from = Instant.parse("2020-01-31T22:00:00Z");
        Instant to = Instant.parse("2020-02-01T02:00:00Z");
        try (Connection c = db.writer().connect();
                Statement st = c.createStatement()) {
            assertThat(MonthlyPartitions.ensure(c, from, to)).isPositive();
            st.execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                    + " SELECT 'binance@m', 'BTCUSDT', '1m', t, 100, 101, 99, 100, 1"
                    + " FROM generate_series(timestamptz '" + from + "', '" + to + "', interval '1 minute') t");
            st.execute("INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                    + " predicted_close, naive_close, window_end_open_time)"
                    + " SELECT 'binance@m', 'BTCUSDT', '1m', t, 'v', 100.5, 100, t - interval '1 minute'"
                    + " FROM generate_series(timestamptz '" + from + "', '" + to + "', interval '1 minute') t");
            long minutes = Duration.between(from, to).toMinutes() + 1;
            assertThat(strings(c, "SELECT DISTINCT tableoid::regclass::text FROM candles WHERE exchange = 'binance@m'"))
                    .as("the run spans two monthly partitions")
                    .hasSize(2);

            // Without sequential scans PostgreSQL must still find a plan: the exchange names and the run's rows are
            // reached through the primary keys' first column, in every partition.
            st.execute("SET enable_seqscan = off");
            for (String table : List.of("candles", "predictions")) {
                String plan = String.join(
                        "\n",
                        strings(
                                c,
                                "EXPLAIN "
                                        + BacktestRuns.DELETE_BY_EXCHANGE
                                                .formatted(table)
                                                .replace("?", "ARRAY['binance@m']")));
                assertThat(plan).as(table).doesNotContain("Seq Scan").contains("Index Cond: (exchange = ANY");
                String lookup = String.join(
                        "\n",
                        strings(c, "EXPLAIN " + BacktestRuns.exchangesOf(table).replace("?", "'m'")));
                assertThat(lookup).as(table).doesNotContain("Seq Scan");
            }
            // --list never reads live rows either: each run's rows are reached by its exchange name.
            assertThat(String.join("\n", strings(c, "EXPLAIN " + BacktestRuns.LIST)))
                    .doesNotContain("Seq Scan")
                    .contains("Index Cond: (exchange = e.exchange)");
            st.execute("RESET enable_seqscan");

            long[] deleted = BacktestRuns.drop(c, "m");
            assertThat(deleted).startsWith(minutes, minutes, 0);
            assertThat(exchanges(c, "candles")).doesNotContain("binance@m");
            assertThat(exchanges(c, "predictions")).doesNotContain("binance@m");
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aNameThatCannotBeALabelIsRefused() throws SQLException {
        try (Connection c = db.writer().connect()) {
            assertThatThrownBy(() -> BacktestRuns.drop(c, "%"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run label");
            assertThatThrownBy(() -> BacktestRuns.drop(c, "")).isInstanceOf(IllegalArgumentException.class);
            assertThat(exchanges(c, "predictions")).contains("binance");
        }
    }

    private static List<String> exchanges(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT exchange FROM " + table)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
