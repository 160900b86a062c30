package io.chronoprice.api.price;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.support.Plans;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.api.symbols.SeriesKey;
import io.chronoprice.db.DbSettings;
import io.chronoprice.db.MonthlyPartitions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API's hot reads on the monthly partitions of V8 (EXPLAIN ANALYZE of the repositories' own SQL): the newest
 * candle and prediction of a series stop in the newest partition holding it, a range reads only its months, and each
 * prediction's actual is looked up in the one partition of its target. Checked with the plan PostgreSQL makes for the
 * values (custom) and the one it reuses for any values (generic, pruned when it runs). A series of three months is
 * written in a transaction that is rolled back, partitions included, so the shared seed stays as it was.
 */
class PartitionPruningITCase {

    private static final SeriesKey SERIES = new SeriesKey("binance", "PLANUSDT", "1m");
    private static final String VERSION = "plan-v";
    private static final Instant FIRST = Instant.parse("2019-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("2019-03-31T23:50:00Z");

    /** A scan of one partition in a plan: its table, and whether it ran. */
    private static final Pattern PARTITION_SCAN =
            Pattern.compile(" on ((?:candles|predictions)_(?:p\\d{4}_\\d{2}|gap_\\w+))");

    private Connection c;

    @BeforeEach
    void writeThreeMonthsOfOneSeries() throws SQLException {
        // The simple query protocol: the driver writes the values into the SQL, so that EXECUTE takes them as
        // literals whatever their Java type, and the statement PREPAREd below keeps its own parameters.
        DbSettings writer = TestDatabase.get().writer();
        Properties props = new Properties();
        props.setProperty("user", writer.user());
        props.setProperty("password", writer.password());
        props.setProperty("preferQueryMode", "simple");
        c = DriverManager.getConnection(writer.jdbcUrl(), props);
        c.setAutoCommit(false);
        MonthlyPartitions.ensure(c, FIRST, LAST);
        try (Statement st = c.createStatement()) {
            String times = "generate_series(timestamptz '" + FIRST + "', '" + LAST + "', interval '10 minutes') t";
            st.execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                    + " SELECT 'binance', 'PLANUSDT', '1m', t, 10, 11, 9, 10, 1 FROM " + times);
            st.execute("INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                    + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time)"
                    + " SELECT 'binance', 'PLANUSDT', '1m', t, '" + VERSION + "', 10, 9, 11, 10, t - interval"
                    + " '1 minute' FROM " + times);
            st.execute("ANALYZE candles_p2019_01, candles_p2019_02, candles_p2019_03, predictions_p2019_01,"
                    + " predictions_p2019_02, predictions_p2019_03");
            // As Plans does: a seq scan on these small tables would say nothing about large ones.
            st.execute("SET LOCAL enable_seqscan = off");
        }
    }

    @AfterEach
    void rollBack() throws SQLException {
        c.rollback();
        c.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
    void theLatestCandleIsReadFromTheNewestPartitionHoldingTheSeries(String planMode) throws SQLException {
        Set<String> ran = partitionsRun(planMode, PriceRepository.LATEST_CANDLE, SERIES::bind);

        assertThat(ran).contains("candles_p2019_03").doesNotContain("candles_p2019_02", "candles_p2019_01");
    }

    @ParameterizedTest
    @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
    void theLatestPredictionAndItsActualAreReadFromTheNewestPartitionHoldingThem(String planMode) throws SQLException {
        Set<String> ran = partitionsRun(planMode, PriceRepository.LATEST_PREDICTION, ps -> {
            SERIES.bind(ps);
            ps.setString(4, VERSION);
        });

        assertThat(ran).contains("predictions_p2019_03").doesNotContain("predictions_p2019_02", "predictions_p2019_01");
        assertThat(ran).filteredOn(p -> p.startsWith("candles_")).containsExactly("candles_p2019_03");
    }

    @ParameterizedTest
    @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
    void aRangeInsideOneMonthReadsThatMonthOnlyAndFindsEachActualThere(String planMode) throws SQLException {
        Set<String> ran = partitionsRun(
                planMode, PriceRepository.HISTORY, history("2019-02-10T00:00:00Z", "2019-02-12T00:00:00Z"));

        assertThat(ran).containsExactly("candles_p2019_02", "predictions_p2019_02");
    }

    @ParameterizedTest
    @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
    void aRangeAcrossAMonthEndReadsItsTwoMonths(String planMode) throws SQLException {
        Set<String> ran = partitionsRun(
                planMode, PriceRepository.HISTORY, history("2019-01-31T20:00:00Z", "2019-02-01T04:00:00Z"));

        assertThat(ran)
                .containsExactly(
                        "candles_p2019_01", "candles_p2019_02", "predictions_p2019_01", "predictions_p2019_02");
    }

    private static Plans.Binder history(String from, String to) {
        return ps -> {
            SERIES.bind(ps);
            ps.setTimestamp(4, Timestamp.from(Instant.parse(from)));
            ps.setTimestamp(5, Timestamp.from(Instant.parse(to)));
            ps.setTimestamp(6, Timestamp.from(Instant.parse(from).minusSeconds(1)));
            ps.setString(7, "");
            ps.setString(8, VERSION);
            ps.setInt(9, 501);
        };
    }

    /** The partitions whose scan ran (not pruned when planned, nor "never executed" when run), sorted. */
    private Set<String> partitionsRun(String planMode, String sql, Plans.Binder binder) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL plan_cache_mode = " + planMode);
        }
        // A statement PREPAREd with its parameters, so that force_generic_plan gives the plan made without the values.
        List<String> plan = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("DEALLOCATE ALL");
        }
        String positional = Plans.positional(sql);
        int n = positional.length() - positional.replace("?", "").length();
        String args = String.join(", ", Collections.nCopies(n, "?"));
        int[] param = {0};
        String numbered = Pattern.compile("\\?").matcher(positional).replaceAll(m -> "\\$" + ++param[0]);
        try (Statement st = c.createStatement()) {
            st.execute("PREPARE hot AS " + numbered);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE hot (" + args + ")")) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
        }
        Set<String> ran = new TreeSet<>();
        for (String line : plan) {
            Matcher m = PARTITION_SCAN.matcher(line);
            if (m.find() && !line.contains("never executed")) {
                ran.add(m.group(1));
            }
        }
        assertThat(plan)
                .as("the plan names the partitions it scans")
                .anyMatch(l -> PARTITION_SCAN.matcher(l).find());
        return ran;
    }
}
