package io.chronoprice.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseITCase {

    private static EmbeddedDatabase db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.startForTests();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        execute(db.writer(), "TRUNCATE candles, predictions, models, model_events, candle_gaps");
    }

    @Test
    void migrationsCreateEveryTableAndTheOutcomeView() throws SQLException {
        try (Connection c = connect(db.writer());
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT table_name FROM information_schema.tables"
                                + " WHERE table_schema = 'public' ORDER BY table_name")) {
            StringBuilder names = new StringBuilder();
            while (rs.next()) {
                names.append(rs.getString(1)).append(' ');
            }
            assertThat(names.toString())
                    .contains("candles", "candle_gaps", "models", "model_events", "predictions", "prediction_outcomes");
        }
    }

    @Test
    void applyingTheMigrationsAgainChangesNothing() throws SQLException {
        execute(db.writer(), insertCandle("2021-05-14T00:00:00Z", 49000));

        assertThat(SchemaMigrations.apply(db.writer())).isZero();
        assertThat(count(db.writer(), "SELECT count(*) FROM candles")).isEqualTo(1);
    }

    @Test
    void readerRoleCanReadButNotWrite() throws SQLException {
        execute(db.writer(), insertCandle("2021-05-14T00:00:00Z", 49000));

        assertThat(count(db.reader(), "SELECT count(*) FROM candles")).isEqualTo(1);
        assertThat(count(db.reader(), "SELECT count(*) FROM prediction_outcomes"))
                .isZero();
        assertThatThrownBy(() -> execute(db.reader(), insertCandle("2021-05-14T00:01:00Z", 49001)))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> execute(db.reader(), "DELETE FROM candles")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> execute(db.reader(), "CREATE TABLE sneaky (id int)"))
                .hasMessageContaining("permission denied");
    }

    @Test
    void readerRoleHasNoTemporaryTablesAndAFiveSecondStatementTimeout() throws SQLException {
        try (Connection reader = connect(db.reader());
                Statement st = reader.createStatement()) {
            assertThat(show(st, "statement_timeout")).isEqualTo("5s");
            SQLException noTemp =
                    catchThrowableOfType(SQLException.class, () -> st.execute("CREATE TEMP TABLE scratch (id int)"));
            // 42501 insufficient_privilege: TEMP was revoked from PUBLIC, and the reader has no grant of its own.
            assertThat(noTemp.getSQLState()).isEqualTo("42501");
            assertThat(noTemp.getMessage()).contains("temporary tables");
        }
    }

    @Test
    void aReaderStatementRunningLongerThanFiveSecondsIsCancelled() throws SQLException {
        try (Connection reader = connect(db.reader());
                Statement st = reader.createStatement()) {
            long started = System.nanoTime();
            SQLException cancelled = catchThrowableOfType(SQLException.class, () -> st.execute("SELECT pg_sleep(30)"));
            // 57014 query_canceled, by the server's timeout after 5 s rather than by the client.
            assertThat(cancelled.getSQLState()).isEqualTo("57014");
            assertThat(cancelled.getMessage()).contains("statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(20));
        }
    }

    @Test
    void aLoginMemberOfTheReaderGroupGetsTheSameLimits() throws SQLException {
        // As deployments do it (deploy/postgres/init-roles.sh): a login role of its own, member of the group role.
        try (Connection admin = connect(superuser());
                Statement st = admin.createStatement()) {
            st.execute("DROP ROLE IF EXISTS grafana_login");
            st.execute("CREATE ROLE grafana_login LOGIN PASSWORD 'g'");
            st.execute("GRANT chronoprice_reader TO grafana_login");
        }
        DbSettings member = new DbSettings(db.reader().jdbcUrl(), "grafana_login", "g");
        execute(db.writer(), insertCandle("2021-05-14T00:00:00Z", 49000));
        try (Connection c = connect(member);
                Statement st = c.createStatement()) {
            assertThat(count(member, "SELECT count(*) FROM candles")).isEqualTo(1);
            assertThat(show(st, "statement_timeout")).isEqualTo("5s");
            assertThatThrownBy(() -> st.execute("CREATE TEMP TABLE scratch (id int)"))
                    .hasMessageContaining("temporary tables");
        }
    }

    @Test
    void writerKeepsNoStatementTimeoutAndItsTemporaryTables() throws SQLException {
        try (Connection writer = connect(db.writer());
                Statement st = writer.createStatement()) {
            assertThat(show(st, "statement_timeout")).isEqualTo("0");
            st.execute("CREATE TEMP TABLE scratch (id int)");
            // Longer than the reader's limit would allow.
            st.execute("SELECT pg_sleep(5.5)");
        }
        // A migration that ran before V6 and a later one both run as the writer: applying again still works.
        assertThat(SchemaMigrations.apply(db.writer())).isZero();
    }

    @Test
    void replayedPredictionIsAnIdempotentUpsert() throws SQLException {
        String upsert = "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time)"
                + " VALUES ('binance', 'BTCUSDT', '1m', '2021-05-14T00:01:00Z', 'v1', %s, 48900, 49100, 49000,"
                + " '2021-05-14T00:00:00Z') ON CONFLICT (exchange, symbol, interval, target_open_time,"
                + " model_version) DO UPDATE SET predicted_close = EXCLUDED.predicted_close";
        execute(db.writer(), upsert.formatted(49010));
        execute(db.writer(), upsert.formatted(49020));

        assertThat(count(db.writer(), "SELECT count(*) FROM predictions")).isEqualTo(1);
        assertThat(count(db.writer(), "SELECT predicted_close::bigint FROM predictions"))
                .isEqualTo(49020);
    }

    @Test
    void outcomeViewJudgesThePredictionAgainstTheActualAndTheNaiveForecast() throws SQLException {
        execute(db.writer(), insertCandle("2021-05-14T00:00:00Z", 49000));
        execute(
                db.writer(),
                "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                        + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time) VALUES"
                        + " ('binance', 'BTCUSDT', '1m', '2021-05-14T00:01:00Z', 'v1', 49030, 48950, 49060,"
                        + " 49000, '2021-05-14T00:00:00Z')");

        String outcome = "SELECT %s FROM prediction_outcomes";
        assertThat(count(db.writer(), outcome.formatted("count(actual_close)")))
                .as("no actual yet")
                .isZero();

        execute(db.writer(), insertCandle("2021-05-14T00:01:00Z", 49050));

        assertThat(count(db.writer(), outcome.formatted("error::bigint"))).isEqualTo(-20);
        assertThat(count(db.writer(), outcome.formatted("naive_error::bigint"))).isEqualTo(-50);
        assertThat(count(db.writer(), outcome.formatted("in_interval::int"))).isEqualTo(1);
        assertThat(count(db.writer(), outcome.formatted("direction_hit::int"))).isEqualTo(1);
    }

    @Test
    void outcomeViewScoresServedRawAndBaselineIntervalsOnlyOnceResolved() throws SQLException {
        execute(db.writer(), insertCandle("2021-05-14T00:00:00Z", 49000));
        // Served = naive (the guard gave the model no weight); raw interval 48950..49060; rolling sigma 0.1 %.
        execute(
                db.writer(),
                "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                        + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time,"
                        + " raw_predicted_close, raw_lower_close, raw_upper_close, guard_weight, rolling_sigma,"
                        + " ewma_sigma) VALUES ('binance', 'BTCUSDT', '1m', '2021-05-14T00:01:00Z', 'v2', 49000,"
                        + " 48960, 49040, 49000, '2021-05-14T00:00:00Z', 49030, 48950, 49060, 0, 0.001, 0.001)");
        String outcome = "SELECT %s FROM prediction_outcomes";

        assertThat(count(
                        db.writer(), outcome.formatted("count(winkler) + count(raw_winkler) + count(rolling_winkler)")))
                .as("nothing is scored before its actual exists")
                .isZero();

        execute(db.writer(), insertCandle("2021-05-14T00:01:00Z", 49050));

        assertThat(count(db.writer(), outcome.formatted("winkler::bigint"))).isEqualTo(80 + 10 * 10);
        assertThat(count(db.writer(), outcome.formatted("raw_winkler::bigint"))).isEqualTo(110);
        assertThat(count(db.writer(), outcome.formatted("count(direction_hit)")))
                .as("a served forecast equal to naive makes no directional call")
                .isZero();
        assertThat(count(db.writer(), outcome.formatted("raw_direction_hit::int")))
                .isEqualTo(1);
        assertThat(count(db.writer(), outcome.formatted("rolling_in_interval::int")))
                .as("49050 lies inside 49000 x exp(+/-0.128 %)")
                .isEqualTo(1);
        assertThat(count(db.writer(), outcome.formatted("round(rolling_winkler)::bigint")))
                .isEqualTo(Math.round(49000 * (Math.exp(0.0012816) - Math.exp(-0.0012816))));
    }

    @Test
    void keptDataDirectorySurvivesARestart(@TempDir Path dataDir) throws SQLException {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(0, dataDir, "w", "r")) {
            execute(first.writer(), insertCandle("2021-05-14T00:00:00Z", 49000));
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(0, dataDir, "w", "r")) {
            assertThat(count(second.reader(), "SELECT count(*) FROM candles")).isEqualTo(1);
        }
    }

    private static String insertCandle(String openTime, double close) {
        return ("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                        + " VALUES ('binance', 'BTCUSDT', '1m', '%s', %s, %s, %s, %s, 1.5)")
                .formatted(openTime, close, close + 10, close - 10, close);
    }

    /** zonky's bootstrap superuser, which logs in over loopback without a password. */
    private static DbSettings superuser() {
        return new DbSettings(db.writer().jdbcUrl(), "postgres", "");
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connect(DbSettings s) throws SQLException {
        return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
    }

    private static void execute(DbSettings s, String sql) throws SQLException {
        try (Connection c = connect(s);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(DbSettings s, String sql) throws SQLException {
        try (Connection c = connect(s);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
