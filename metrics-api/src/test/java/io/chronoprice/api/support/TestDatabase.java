package io.chronoprice.api.support;

import io.chronoprice.db.AccuracyRollups;
import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * One embedded PostgreSQL per test JVM, migrated by the real migrations and seeded once with {@link SeedData}
 * by the writer role; the API under test connects as the read-only role.
 */
public final class TestDatabase {

    private static EmbeddedDatabase database;
    private static SeedData seed;

    private TestDatabase() {}

    public static synchronized EmbeddedDatabase get() {
        if (database == null) {
            database = EmbeddedDatabase.startForTests();
            seed = SeedData.load();
            seedAll(seed);
            Runtime.getRuntime().addShutdownHook(new Thread(database::close));
        }
        return database;
    }

    public static SeedData seed() {
        get();
        return seed;
    }

    /**
     * Properties for {@code TestPropertyProvider}: the reader role as the default data source, a free port, and no
     * report cache, so that a test sees its own writes at once (ReportCacheITCase turns it on).
     */
    public static Map<String, String> apiProperties() {
        DbSettings reader = get().reader();
        return Map.of(
                "datasources.default.url", reader.jdbcUrl(),
                "datasources.default.username", reader.user(),
                "datasources.default.password", reader.password(),
                "micronaut.server.port", "-1",
                "chronoprice.metrics.cache-ttl", "0s");
    }

    public static Connection writer() throws SQLException {
        DbSettings writer = get().writer();
        return DriverManager.getConnection(writer.jdbcUrl(), writer.user(), writer.password());
    }

    public static void insertCandle(Connection c, String exchange, SeedData.Candle candle) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO candles"
                + " (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, exchange);
            ps.setString(2, candle.symbol());
            ps.setString(3, SeedData.INTERVAL);
            ps.setObject(4, utc(candle.openTime()));
            ps.setDouble(5, candle.open());
            ps.setDouble(6, candle.high());
            ps.setDouble(7, candle.low());
            ps.setDouble(8, candle.close());
            ps.setDouble(9, candle.volume());
            ps.executeUpdate();
        }
    }

    /** Writes a prediction row as the job does; a row without {@code online} is written as before V4 (NULLs). */
    public static void insertPrediction(Connection c, String exchange, SeedData.Prediction p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO predictions (exchange, symbol, interval,"
                + " target_open_time, model_version, predicted_close, lower_close, upper_close, naive_close,"
                + " window_end_open_time, raw_predicted_close, raw_lower_close, raw_upper_close, guard_weight,"
                + " calibration_lower, calibration_upper, window_scale, rolling_sigma, ewma_sigma)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, exchange);
            ps.setString(2, p.symbol());
            ps.setString(3, SeedData.INTERVAL);
            ps.setObject(4, utc(p.target()));
            ps.setString(5, p.modelVersion());
            ps.setDouble(6, p.predicted());
            ps.setDouble(7, p.lower());
            ps.setDouble(8, p.upper());
            ps.setDouble(9, p.naive());
            ps.setObject(10, utc(p.windowEnd()));
            SeedData.Online o = p.online();
            double[] online = o == null
                    ? null
                    : new double[] {
                        o.rawPredicted(),
                        o.rawLower(),
                        o.rawUpper(),
                        o.guardWeight(),
                        o.calibrationLower(),
                        o.calibrationUpper(),
                        o.windowScale(),
                        o.rollingSigma(),
                        o.ewmaSigma()
                    };
            for (int k = 0; k < 9; k++) {
                if (online == null) {
                    ps.setNull(11 + k, Types.DOUBLE);
                } else {
                    ps.setDouble(11 + k, online[k]);
                }
            }
            ps.executeUpdate();
        }
    }

    private static void seedAll(SeedData data) {
        try (Connection c = writer()) {
            c.setAutoCommit(false);
            for (SeedData.Candle candle : data.allCandles()) {
                insertCandle(c, SeedData.EXCHANGE, candle);
            }
            for (SeedData.Prediction p : data.predictions()) {
                insertPrediction(c, SeedData.EXCHANGE, p);
            }
            for (SeedData.Model m : SeedData.MODELS) {
                insertModel(c, m);
            }
            c.commit();
            // As the job does after writing: the API's tests then read accuracy through the prefix sums.
            refreshAccuracy(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not seed the test database", e);
        }
    }

    /** Deletes every row filed under {@code exchange}: candles, predictions, the accuracy sums and their markers. */
    public static void deleteExchange(String exchange) throws SQLException {
        try (Connection c = writer()) {
            for (String table : List.of(
                    "predictions",
                    "candles",
                    "accuracy_cumulative",
                    "accuracy_dirty",
                    "loss_difference_cumulative",
                    "loss_difference_dirty")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE exchange = ?")) {
                    ps.setString(1, exchange);
                    ps.executeUpdate();
                }
            }
        }
    }

    /**
     * Files every hour that holds a prediction of {@code exchange} as changed in {@code markers}
     * ({@code accuracy_dirty} or {@code loss_difference_dirty}), so that the sums' readers take the rows instead.
     */
    public static void markEveryHourChanged(Connection c, String markers, String exchange) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO " + markers + " (exchange, symbol, interval, bucket)"
                        + " SELECT DISTINCT exchange, symbol, interval, date_trunc('hour', target_open_time)"
                        + " FROM predictions WHERE exchange = ?")) {
            ps.setString(1, exchange);
            ps.executeUpdate();
        }
    }

    /** Corrects a candle's close, as an exchange's later revision of it would. */
    public static void setClose(Connection c, String exchange, SeedData.Candle candle, double close)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE candles SET close = ?"
                + " WHERE exchange = ? AND symbol = ? AND interval = '1m' AND open_time = ?")) {
            ps.setDouble(1, close);
            ps.setString(2, exchange);
            ps.setString(3, candle.symbol());
            ps.setObject(4, utc(candle.openTime()));
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no candle at " + candle.openTime());
            }
        }
    }

    /** The change markers of {@code exchange} in {@code markers}. */
    public static long markers(Connection c, String markers, String exchange) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + markers + " WHERE exchange = ?")) {
            ps.setString(1, exchange);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Recomputes the accuracy prefix sums of every changed series, as the job's registry poll does. */
    public static int refreshAccuracy(Connection c) throws SQLException {
        int refreshed = AccuracyRollups.refresh(c);
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return refreshed;
    }

    /** Registers a version as the job's registry does (V5): status, artifact bytes and its lifecycle events. */
    private static void insertModel(Connection c, SeedData.Model m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO models (model_version, created_at, interval,"
                + " window_size, feature_names, quantiles, training_from, training_to, eval_metrics, artifact_sha256,"
                + " artifact, status, status_changed_at, registered_at) VALUES (?, ?, '1m', 60,"
                + " ARRAY['log_return','high_low','volume'], ARRAY[0.1,0.5,0.9], '2021-04-02T00:00:00Z',"
                + " '2021-05-13T23:59:00Z', '{\"mae\": 21.5, \"mase\": 0.97, \"windows\": 59000}', ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.version());
            ps.setObject(2, utc(m.createdAt()));
            ps.setString(3, m.sha256());
            ps.setBytes(4, new byte[m.artifactBytes()]);
            ps.setString(5, m.status());
            ps.setObject(6, utc(m.statusChangedAt()));
            ps.setObject(7, utc(m.events().get(0).at()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO model_events (model_version, event, actor, detail, at)"
                        + " VALUES (?, ?, ?, jsonb_build_object('reason', CAST(? AS text)), ?)")) {
            for (SeedData.Event e : m.events()) {
                ps.setString(1, m.version());
                ps.setString(2, e.event());
                ps.setString(3, e.actor());
                ps.setString(4, e.reason());
                ps.setObject(5, utc(e.at()));
                ps.executeUpdate();
            }
        }
    }

    /**
     * Makes {@code version} the champion of the 1m interval as a promotion does: the old champion demoted and the
     * new one promoted in one transaction, as the writer role. Undo with {@link #restoreSeededStatuses()}.
     */
    public static void promote(String version) throws SQLException {
        try (Connection c = writer()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                    PreparedStatement ps = c.prepareStatement("UPDATE models SET status = 'champion',"
                            + " status_changed_at = now() WHERE model_version = ?")) {
                st.executeUpdate("UPDATE models SET status = 'challenger', status_changed_at = now()"
                        + " WHERE interval = '1m' AND status = 'champion'");
                ps.setString(1, version);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalArgumentException("No model " + version);
                }
            }
            c.commit();
        }
    }

    /** Demotes the champion of the 1m interval, leaving none. Undo with {@link #restoreSeededStatuses()}. */
    public static void demoteChampion() throws SQLException {
        try (Connection c = writer();
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE models SET status = 'challenger', status_changed_at = now()"
                    + " WHERE interval = '1m' AND status = 'champion'");
        }
    }

    /** Puts every seeded version back to its seeded status and status time, in one transaction. */
    public static void restoreSeededStatuses() throws SQLException {
        try (Connection c = writer()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                    PreparedStatement ps = c.prepareStatement(
                            "UPDATE models SET status = ?, status_changed_at = ? WHERE model_version = ?")) {
                // Nobody is champion for a moment inside the transaction, so the one-champion index never objects.
                st.executeUpdate("UPDATE models SET status = 'challenger' WHERE interval = '1m'");
                for (SeedData.Model m : SeedData.MODELS) {
                    ps.setString(1, m.status());
                    ps.setObject(2, utc(m.statusChangedAt()));
                    ps.setString(3, m.version());
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
