package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.OnnxModel;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.Predictor;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.serving.ServingReplay;
import io.chronoprice.job.sink.PostgresSinks;
import io.chronoprice.job.source.CandleSource;
import io.chronoprice.job.source.CandleSourceBuilder;
import io.chronoprice.replay.FaultConfig;
import io.chronoprice.replay.ReplayExchange;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a Flink MiniCluster (parallelism 2), reading real candles from the replay exchange
 * over HTTP and writing to a real PostgreSQL, checked against scoring every window directly with ONNX Runtime
 * and serving it through the online layers in order.
 */
class ChronoPriceJobITCase {

    /**
     * A guard that learns fast, so that its weight and the calibration both move within a few hundred
     * forecasts: state lost or reset on a restore would change the stored served forecasts.
     */
    private static final ServingParams SERVING = new ServingParams(0.005, 20, 120, 0);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** 2021-05-14 18:00 UTC: SOLUSDT has a real gap from 20:31 to 21:19 the next day inside this slice. */
    private static final long FROM = 1621015200000L;

    private static final long BTC_TO = FROM + 299 * 60_000L;
    private static final long SOL_TO = 1621119600000L;

    @TempDir
    static Path dataDir;

    /** A fixed port and a kept data directory, so that a test can stop PostgreSQL and start it again. */
    private static int pgPort;

    private static Path pgData;
    private static EmbeddedDatabase db;
    private static Map<String, List<Candle>> replayed;
    private static List<Prediction> expected;

    @BeforeAll
    static void setUp() throws Exception {
        pgData = Files.createTempDirectory("chronoprice-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            pgPort = socket.getLocalPort();
        }
        db = EmbeddedDatabase.start(pgPort, pgData, "writer", "reader");
        replayed = new TreeMap<>(Map.of(
                "BTCUSDT", DemoSlice.write(dataDir, "BTCUSDT", FROM, BTC_TO),
                "SOLUSDT", DemoSlice.write(dataDir, "SOLUSDT", FROM, SOL_TO)));
        expected = scoreEveryGapFreeWindowDirectly(replayed);
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            // Counts every row the job tries to write, so that a duplicate emission cannot hide behind the upsert.
            st.execute("CREATE TABLE write_attempts (tbl text, key text)");
            st.execute("CREATE FUNCTION log_attempt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO write_attempts VALUES (TG_TABLE_NAME, NEW.symbol || '@' || coalesce("
                    + " to_jsonb(NEW) ->> 'open_time', to_jsonb(NEW) ->> 'target_open_time')); RETURN NEW; END $$");
            st.execute(
                    "CREATE TRIGGER candles_attempts BEFORE INSERT ON candles FOR EACH ROW EXECUTE FUNCTION log_attempt()");
            st.execute("CREATE TRIGGER predictions_attempts BEFORE INSERT ON predictions FOR EACH ROW"
                    + " EXECUTE FUNCTION log_attempt()");
        }
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        execute("TRUNCATE candles, predictions, candle_gaps, write_attempts");
    }

    @Test
    void backfillStoresEveryCandleOnceAndOnePredictionPerGapFreeWindow() throws Exception {
        try (ReplayExchange replay = replay(0, FaultConfig.NONE)) {
            runToEnd(source(replay).boundedAtServerTime());
        }

        assertStoredExactlyTheExpectedRows();
        assertNothingWrittenTwice();
        assertThat(query("SELECT symbol || ' ' || missing_candles FROM candle_gaps"))
                .containsExactly("SOLUSDT 1487");
    }

    @Test
    void nothingIsPredictedFromAWindowThatSpansTheGap() throws Exception {
        try (ReplayExchange replay = replay(0, FaultConfig.NONE)) {
            runToEnd(source(replay).boundedAtServerTime());
        }

        // The last candle before the gap opens 2021-05-14 20:31 (its window is whole, so it is scored); the
        // first after opens 2021-05-15 21:19, and the first gap-free window after it ends 59 candles later.
        assertThat(
                        query(
                                "SELECT count(*) FROM predictions WHERE symbol = 'SOLUSDT'"
                                        + " AND window_end_open_time > '2021-05-14T20:31Z' AND window_end_open_time < '2021-05-15T22:18Z'"))
                .containsExactly("0");
        assertThat(query("SELECT min(window_end_open_time) = '2021-05-15T22:18Z' FROM predictions"
                        + " WHERE symbol = 'SOLUSDT' AND window_end_open_time > '2021-05-14T20:31Z'"))
                .containsExactly("true");
    }

    @Test
    void stopWithSavepointAndResumeLeavesNoGapAndNoDuplicate(@TempDir Path savepoints) throws Exception {
        try (ReplayExchange replay = replay(3000, FaultConfig.NONE)) {
            StreamExecutionEnvironment first = environment(new Configuration());
            job(source(replay)).build(first);
            JobClient client = first.executeAsync("before savepoint");
            await().atMost(Duration.ofSeconds(60)).until(() -> count("candles") > 150);
            String savepoint = client.stopWithSavepoint(
                            false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            long storedAtStop = count("candles");
            assertThat(storedAtStop).isLessThan(total());

            Configuration restore = new Configuration();
            restore.setString("execution.state-recovery.path", savepoint);
            StreamExecutionEnvironment second = environment(restore);
            job(source(replay)).build(second);
            JobClient resumed = second.executeAsync("after savepoint");
            await().atMost(Duration.ofSeconds(90)).until(() -> count("predictions") >= expected.size());
            resumed.cancel().get();
        }

        assertStoredExactlyTheExpectedRows();
        assertNothingWrittenTwice();
    }

    @Test
    void aPostgresOutageIsRiddenOutWithNothingLostOrChanged() throws Exception {
        try (ReplayExchange replay = replay(3000, FaultConfig.NONE)) {
            Configuration conf = new Configuration();
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", "1000");
            conf.setString("restart-strategy.fixed-delay.delay", "1 s");
            StreamExecutionEnvironment env = environment(conf);
            job(source(replay)).build(env);
            JobClient client = env.executeAsync("postgres outage");
            await().atMost(Duration.ofSeconds(60)).until(() -> count("candles") > 100);

            db.close();
            Thread.sleep(5_000);
            db = EmbeddedDatabase.start(pgPort, pgData, "writer", "reader");

            // Rows written again after the restore from the last checkpoint are expected (at-least-once);
            // what must hold is that the stored result is complete and unchanged.
            await().atMost(Duration.ofSeconds(120))
                    .ignoreExceptions()
                    .until(() -> count("predictions") >= expected.size() && count("candles") >= total());
            assertThat(client.getJobStatus().get())
                    .as("the job recovered by itself")
                    .isEqualTo(JobStatus.RUNNING);
            client.cancel().get();
        }

        assertStoredExactlyTheExpectedRows();
    }

    @Test
    void faultsOnTenPercentOfRequestsChangeNothingInTheStoredResult() throws Exception {
        FaultConfig faults = FaultConfig.NONE
                .withServerErrors(0.04)
                .withTooManyRequests(0.02, 1)
                .withMalformedBodies(0.02)
                .withTruncatedBodies(0.02)
                .withDelay(1500, 0.03)
                .withSeed(42);
        try (ReplayExchange replay = replay(3000, faults)) {
            StreamExecutionEnvironment env = environment(new Configuration());
            job(source(replay).requestTimeout(Duration.ofMillis(700))).build(env);
            JobClient client = env.executeAsync("with faults");
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> count("predictions") >= expected.size() && count("candles") >= total());
            client.cancel().get();
        }

        assertStoredExactlyTheExpectedRows();
        assertNothingWrittenTwice();
    }

    private static void assertStoredExactlyTheExpectedRows() throws SQLException {
        List<String> storedCandles = query("SELECT symbol, (extract(epoch FROM open_time) * 1000)::bigint, close"
                + " FROM candles ORDER BY symbol, open_time");
        List<String> replayedCandles = new ArrayList<>();
        replayed.values()
                .forEach(series ->
                        series.forEach(c -> replayedCandles.add(c.symbol() + " " + c.openTimeMs() + " " + c.close())));
        assertThat(storedCandles).containsExactlyElementsOf(replayedCandles);

        List<String> storedPredictions = query("SELECT symbol, (extract(epoch FROM target_open_time) * 1000)::bigint,"
                + " predicted_close, lower_close, upper_close, naive_close, raw_predicted_close, guard_weight,"
                + " calibration_lower, calibration_upper FROM predictions ORDER BY symbol, target_open_time");
        assertThat(storedPredictions)
                .containsExactlyElementsOf(expected.stream()
                        .map(p -> p.symbol() + " " + p.targetOpenTimeMs() + " " + p.predictedClose() + " "
                                + p.lowerClose() + " " + p.upperClose() + " " + p.naiveClose() + " "
                                + p.rawPredictedClose() + " " + p.guardWeight() + " " + p.calibrationLower() + " "
                                + p.calibrationUpper())
                        .toList());
    }

    /** Without a failure, the job emits every row once: an upsert must not be hiding a duplicate emission. */
    private static void assertNothingWrittenTwice() throws SQLException {
        assertThat(query("SELECT tbl || ' ' || key FROM write_attempts GROUP BY tbl, key HAVING count(*) > 1"))
                .as("rows the job emitted more than once")
                .isEmpty();
    }

    private static List<Prediction> scoreEveryGapFreeWindowDirectly(Map<String, List<Candle>> series) throws Exception {
        List<Prediction> predictions = new ArrayList<>();
        try (Predictor predictor =
                new Predictor(OnnxModel.load(ParityFixture.model(ParityFixture.V2), "1m", 60), Clock.systemUTC())) {
            for (List<Candle> candles : series.values()) {
                predictions.addAll(ServingReplay.serve(candles, predictor, SERVING));
            }
        }
        assertThat(predictions.stream().filter(p -> p.guardWeight() > 0))
                .as("the guard weight moves in this test")
                .isNotEmpty();
        return predictions;
    }

    private static ReplayExchange replay(double speed, FaultConfig faults) throws Exception {
        ReplayExchange.Builder builder =
                ReplayExchange.builder().dataDir(dataDir).port(0).speed(speed).faults(faults);
        if (speed > 0) {
            builder.startTime(Instant.ofEpochMilli(FROM + 5 * 60_000L));
        }
        return builder.start();
    }

    private static CandleSourceBuilder source(ReplayExchange replay) {
        return CandleSource.builder()
                .exchange("binance")
                .baseUri(replay.baseUri())
                .symbols(List.copyOf(replayed.keySet()))
                .interval("1m")
                .startAt(Instant.ofEpochMilli(FROM))
                .closeLag(Duration.ofMillis(10))
                .minPollDelay(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                // The replay exchange reports request weight per wall-clock minute; at 3000x it is not Binance.
                .usedWeightLimit(1_000_000);
    }

    private static ChronoPriceJob job(CandleSourceBuilder source) {
        DbSettings writer = db.writer();
        return new ChronoPriceJob(
                source.build(),
                new ChronoPriceJob.Sinks(
                        PostgresSinks.candles(writer), PostgresSinks.gaps(writer), PostgresSinks.predictions(writer)),
                ParityFixture.model(ParityFixture.V2),
                "1m",
                60,
                SERVING,
                null);
    }

    private static void runToEnd(CandleSourceBuilder source) throws Exception {
        StreamExecutionEnvironment env = environment(new Configuration());
        job(source).build(env);
        env.execute("bounded");
    }

    private static StreamExecutionEnvironment environment(Configuration conf) {
        conf.setString("execution.checkpointing.interval", "500 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static long total() {
        return replayed.values().stream().mapToLong(List::size).sum();
    }

    private static long count(String table) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM " + table).get(0));
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Rows as their columns joined by spaces; numbers as Java prints them, so they compare exactly. */
    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }
}
