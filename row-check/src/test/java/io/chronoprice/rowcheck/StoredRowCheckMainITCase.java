package io.chronoprice.rowcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write log and the main against a real PostgreSQL with the real schema: a run's database and a reference run's
 * database on one server, rows written with the job's upserts, and a slice of 62 candles (3 full windows of 60).
 */
class StoredRowCheckMainITCase {

    private static final long T0 = 1621015200000L; // 2021-05-14T18:00:00Z
    private static final long M = 60_000L;
    private static final int CANDLES = 62;

    private static EmbeddedDatabase db;
    private static String runUrl;
    private static String referenceUrl;

    @TempDir
    static Path sliceDir;

    @BeforeAll
    static void setUp() throws Exception {
        db = EmbeddedDatabase.startForTests();
        runUrl = db.writer().jdbcUrl();
        referenceUrl = runUrl.replace("/" + DbSettings.DATABASE, "/reference");
        try (Connection admin = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres", "postgres", "");
                Statement st = admin.createStatement()) {
            st.execute(
                    "CREATE DATABASE reference TEMPLATE " + DbSettings.DATABASE + " OWNER " + DbSettings.WRITER_USER);
        }
        for (String url : List.of(runUrl, referenceUrl)) {
            assertThat(main("install-write-log", "--jdbc-url", url).exitCode).isZero();
            execute(
                    url,
                    "INSERT INTO models (model_version, created_at, interval, window_size, feature_names,"
                            + " quantiles, artifact_sha256, status) VALUES ('v2', now(), '1m', 60, '{a}', '{0.1,0.5,0.9}', '"
                            + "0".repeat(64) + "', 'champion')");
        }
        writeSlice();
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        for (String url : List.of(runUrl, referenceUrl)) {
            execute(url, "TRUNCATE candles, predictions, candle_gaps, " + WriteLog.TABLE);
        }
    }

    @Test
    void theSliceMakesItsCandlesWindowsAndNoGap() {
        Result r = main("expected", "--slice-dir", sliceDir.toString(), "--window", "60");

        assertThat(r.exitCode).isZero();
        assertThat(r.lines).containsExactly("candles.expected=62", "windows.expected=3", "candle_gaps.expected=0");
    }

    @Test
    void aRunThatStoredEverythingOnceWithTheReferenceValuesPasses() throws Exception {
        writeEverything(runUrl);
        writeEverything(referenceUrl);

        Result r = check("--reference-url", referenceUrl);

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.lines)
                .contains(
                        "window_size=60",
                        "candles.expected=62",
                        "candles.stored=62",
                        "predictions.expected=3",
                        "predictions.stored=3",
                        "candle_gaps.stored=0",
                        "total.lost=0",
                        "total.extra=0",
                        "total.different=0",
                        "total.written_more_than_once=0",
                        "predictions.stored.v2=3",
                        "verdict=PASS")
                .noneMatch(l -> l.startsWith("problem="));
    }

    @Test
    void aReplayedUpsertIsCountedInAnyTimeZoneAndPassesOnlyWhereARestoreHappened() throws Exception {
        writeEverything(runUrl);
        try (Connection c = connect(runUrl)) {
            try (Statement st = c.createStatement()) {
                st.execute("SET TIME ZONE 'Asia/Tokyo'");
            }
            upsertCandle(c, 10, close(10));
            upsertPrediction(c, 61, 1.5);
        }

        Result forbidden = check();
        Result allowed = check("--rewrites", "allowed");

        assertThat(forbidden.exitCode).isEqualTo(1);
        assertThat(forbidden.lines)
                .contains(
                        "candles.written_more_than_once=1",
                        "candles.extra_writes=1",
                        "predictions.written_more_than_once=1",
                        "total.written_with_other_values=0",
                        "problem=1 candles keys written more than once without a restore, e.g. binance BTCUSDT 1m"
                                + " 2021-05-14T18:10:00+00:00 written 2 times",
                        "verdict=FAIL");
        assertThat(allowed.exitCode).as(allowed.toString()).isZero();
        assertThat(allowed.lines).contains("total.written_more_than_once=2", "verdict=PASS");
    }

    @Test
    void aKeyWrittenWithAnotherValueFailsEvenWhenTheLastWriteRestoredIt() throws Exception {
        writeEverything(runUrl);
        try (Connection c = connect(runUrl)) {
            upsertPrediction(c, 60, 2.5);
            upsertPrediction(c, 60, 1.5);
        }

        Result r = check("--rewrites", "allowed");

        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.lines)
                .contains(
                        "predictions.different=0",
                        "predictions.written_with_other_values=1",
                        "problem=1 predictions keys written with different values, e.g. binance BTCUSDT 1m"
                                + " 2021-05-14T19:00:00+00:00 v2 written with 2 values");
    }

    @Test
    void lostExtraAndDifferentRowsAreFoundAgainstTheSliceAndTheReference() throws Exception {
        writeEverything(runUrl);
        writeEverything(referenceUrl);
        execute(runUrl, "DELETE FROM candles WHERE open_time = '2021-05-14T18:05:00Z'");
        execute(
                runUrl,
                "UPDATE predictions SET raw_predicted_close = 99 WHERE target_open_time = '2021-05-14T19:01:00Z'");
        try (Connection c = connect(runUrl)) {
            upsertPrediction(c, 59, 1.5); // a window of 59 candles
        }

        Result r = check("--reference-url", referenceUrl);

        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.lines)
                .contains(
                        "candles.lost=1",
                        "predictions.extra=1",
                        "predictions.different=1",
                        "problem=1 candles lost, e.g. binance BTCUSDT 1m 2021-05-14T18:05:00Z",
                        "problem=1 predictions extra (not expected), e.g. binance BTCUSDT 1m 2021-05-14T18:59:00Z v2",
                        "problem=1 predictions with other values than expected, e.g. binance BTCUSDT 1m"
                                + " 2021-05-14T19:01:00Z v2 raw_predicted_close 99.0, expected 101.0",
                        "verdict=FAIL");
    }

    @Test
    void aVersionAddedDuringTheRunIsReportedFromItsFirstPrediction() throws Exception {
        writeEverything(runUrl);
        execute(
                runUrl,
                "INSERT INTO models (model_version, created_at, interval, window_size, feature_names,"
                        + " quantiles, artifact_sha256) VALUES ('v1', now(), '1m', 60, '{a}', '{0.1,0.5,0.9}', '"
                        + "1".repeat(64) + "')");
        try {
            try (Connection c = connect(runUrl)) {
                upsertPrediction(c, 61, 1.5, "v1");
                upsertPrediction(c, 62, 1.5, "v1");
            }

            Result late = check("--late-versions", "v1");
            Result onTime = check();

            assertThat(late.exitCode).as(late.toString()).isZero();
            assertThat(late.lines)
                    .contains(
                            "predictions.expected=5",
                            "predictions.stored.v1=2",
                            "predictions.first.v1.BTCUSDT=2021-05-14T19:01:00Z");
            assertThat(onTime.lines).contains("predictions.lost=1", "verdict=FAIL");
        } finally {
            execute(runUrl, "DELETE FROM models WHERE model_version = 'v1'");
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(main().exitCode).isEqualTo(2);
        assertThat(main("check", "--slice-dir").exitCode).isEqualTo(2);
        assertThat(main("check", "--bogus", "x").exitCode).isEqualTo(2);
        assertThat(main("check", "--slice-dir", sliceDir.toString()).exitCode).isEqualTo(2);
    }

    // --- fixtures --------------------------------------------------------------------------------------------

    private static double close(int minute) {
        return 100 + minute * 0.5;
    }

    private static void writeSlice() throws IOException {
        Path file = sliceDir.resolve("binance_spot_BTCUSDT_1m.csv.gz");
        try (Writer out =
                new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            out.write("open_time_ms,open,high,low,close,volume\n");
            for (int m = 0; m < CANDLES; m++) {
                out.write((T0 + m * M) + ",100.1," + (close(m) + 1) + ",99.9," + close(m) + ",12.345\n");
            }
        }
    }

    /** Every row the job must write: each candle and the prediction of each full window. */
    private static void writeEverything(String url) throws SQLException {
        try (Connection c = connect(url)) {
            for (int m = 0; m < CANDLES; m++) {
                upsertCandle(c, m, close(m));
            }
            for (int target = 60; target <= CANDLES; target++) {
                upsertPrediction(c, target, 1.5);
            }
        }
    }

    private static void upsertCandle(Connection c, int minute, double close) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO candles"
                + " (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                + " VALUES ('binance', 'BTCUSDT', '1m', ?, 100.1, ?, 99.9, ?, 12.345)"
                + " ON CONFLICT (exchange, symbol, interval, open_time) DO UPDATE SET close = EXCLUDED.close")) {
            ps.setObject(1, utc(T0 + minute * M));
            ps.setDouble(2, close + 1);
            ps.setDouble(3, close);
            ps.executeUpdate();
        }
    }

    private static void upsertPrediction(Connection c, int targetMinute, double spread) throws SQLException {
        upsertPrediction(c, targetMinute, spread, "v2");
    }

    /** A prediction with made-up values (the same for the same arguments), written as the job's sink writes. */
    private static void upsertPrediction(Connection c, int targetMinute, double spread, String version)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO predictions (exchange, symbol, interval,"
                + " target_open_time, model_version, predicted_close, lower_close, upper_close, naive_close,"
                + " window_end_open_time, created_at, raw_predicted_close, guard_weight)"
                + " VALUES ('binance', 'BTCUSDT', '1m', ?, ?, 101, ?, ?, 100.5, ?, ?, 101, 0.5)"
                + " ON CONFLICT (exchange, symbol, interval, target_open_time, model_version) DO UPDATE SET"
                + " lower_close = EXCLUDED.lower_close, upper_close = EXCLUDED.upper_close")) {
            ps.setObject(1, utc(T0 + targetMinute * M));
            ps.setString(2, version);
            ps.setDouble(3, 101 - spread);
            ps.setDouble(4, 101 + spread);
            ps.setObject(5, utc(T0 + (targetMinute - 1) * M));
            // Each write at another time: write times are not values.
            ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static OffsetDateTime utc(long ms) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, db.writer().user(), db.writer().password());
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = connect(url);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Result check(String... more) {
        List<String> args = new ArrayList<>(List.of("check", "--jdbc-url", runUrl, "--slice-dir", sliceDir.toString()));
        args.addAll(List.of(more));
        return main(args.toArray(String[]::new));
    }

    private record Result(int exitCode, List<String> lines, String err) {}

    private static Result main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StoredRowCheckMain.run(
                args,
                Map.of("CHRONOPRICE_DB_PASSWORD", db.writer().password()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                code,
                Stream.of(out.toString(StandardCharsets.UTF_8).split("\n"))
                        .filter(l -> !l.isEmpty())
                        .toList(),
                err.toString(StandardCharsets.UTF_8));
    }
}
