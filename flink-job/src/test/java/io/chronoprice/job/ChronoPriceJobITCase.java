package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.OnnxModel;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.Predictor;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.serving.ServingReplay;
import io.chronoprice.job.sink.PostgresSinks;
import io.chronoprice.job.source.CandleSourceBuilder;
import io.chronoprice.replay.FaultConfig;
import io.chronoprice.replay.ReplayExchange;
import io.chronoprice.rowcheck.CheckResult.Rewrites;
import io.chronoprice.rowcheck.StoredTable;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
    static final MiniClusterExtension FLINK = JobTestBed.miniCluster();

    /** SOLUSDT has a real gap from 20:31 to 21:19 the next day inside this slice. */
    private static final long FROM = JobTestBed.MAY_14_18H;

    private static final long BTC_TO = FROM + 299 * 60_000L;
    private static final long SOL_TO = 1621119600000L;

    @TempDir
    static Path dataDir;

    private static JobTestBed bed;
    private static List<Prediction> expected;

    @BeforeAll
    static void setUp() throws Exception {
        bed = new JobTestBed(dataDir, FROM, Map.of("BTCUSDT", BTC_TO, "SOLUSDT", SOL_TO));
        expected = scoreEveryGapFreeWindowDirectly(bed.replayed);
    }

    @AfterAll
    static void tearDown() {
        bed.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        bed.emptyTables();
    }

    @Test
    void backfillStoresEveryCandleOnceAndOnePredictionPerGapFreeWindow() throws Exception {
        try (ReplayExchange replay = bed.replay(0, FaultConfig.NONE)) {
            runToEnd(bed.source(replay).boundedAtServerTime());
        }

        assertStoredExactlyTheExpectedRows(Rewrites.FORBIDDEN);
        // The checker expects a gap row per hole in the replayed candles: this slice has one.
        assertThat(bed.query("SELECT symbol || ' ' || missing_candles FROM candle_gaps"))
                .containsExactly("SOLUSDT 1487");
    }

    @Test
    void nothingIsPredictedFromAWindowThatSpansTheGap() throws Exception {
        try (ReplayExchange replay = bed.replay(0, FaultConfig.NONE)) {
            runToEnd(bed.source(replay).boundedAtServerTime());
        }

        // The last candle before the gap opens 2021-05-14 20:31 (its window is whole, so it is scored); the
        // first after opens 2021-05-15 21:19, and the first gap-free window after it ends 59 candles later.
        assertThat(
                        bed.query(
                                "SELECT count(*) FROM predictions WHERE symbol = 'SOLUSDT'"
                                        + " AND window_end_open_time > '2021-05-14T20:31Z' AND window_end_open_time < '2021-05-15T22:18Z'"))
                .containsExactly("0");
        assertThat(bed.query("SELECT min(window_end_open_time) = '2021-05-15T22:18Z' FROM predictions"
                        + " WHERE symbol = 'SOLUSDT' AND window_end_open_time > '2021-05-14T20:31Z'"))
                .containsExactly("true");
    }

    @Test
    void aCandleStillOpenWhenTheExchangeServesItIsNeverStored() throws Exception {
        try (ReplayExchange replay = bed.replay(3000, FaultConfig.NONE)) {
            StreamExecutionEnvironment env = JobTestBed.environment(new Configuration());
            job(bed.source(replay)).build(env);
            JobClient client = env.executeAsync("open candles");
            await().atMost(Duration.ofSeconds(90))
                    .until(() ->
                            bed.count("predictions") >= expected.size() && bed.count("candles") >= bed.totalCandles());
            client.cancel().get();
            // The replay serves a candle in progress flat at its open, so a stored one would differ from the file.
            assertThat(replay.openCandlesServed())
                    .as("open candles the job was served")
                    .isPositive();
        }

        assertStoredExactlyTheExpectedRows(Rewrites.FORBIDDEN);
    }

    @Test
    void stopWithSavepointAndResumeLeavesNoGapAndNoDuplicate(@TempDir Path savepoints) throws Exception {
        try (ReplayExchange replay = bed.replay(3000, FaultConfig.NONE)) {
            StreamExecutionEnvironment first = JobTestBed.environment(new Configuration());
            job(bed.source(replay)).build(first);
            JobClient client = first.executeAsync("before savepoint");
            await().atMost(Duration.ofSeconds(60)).until(() -> bed.count("candles") > 150);
            String savepoint = client.stopWithSavepoint(
                            false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            long storedAtStop = bed.count("candles");
            assertThat(storedAtStop).isLessThan(bed.totalCandles());

            Configuration restore = new Configuration();
            restore.setString("execution.state-recovery.path", savepoint);
            StreamExecutionEnvironment second = JobTestBed.environment(restore);
            job(bed.source(replay)).build(second);
            JobClient resumed = second.executeAsync("after savepoint");
            await().atMost(Duration.ofSeconds(90)).until(() -> bed.count("predictions") >= expected.size());
            resumed.cancel().get();
        }

        assertStoredExactlyTheExpectedRows(Rewrites.FORBIDDEN);
    }

    /**
     * With {@link PostgresSinks.Keys#NEW} (a backtest under a new label) the first attempt inserts plainly, so a
     * restarted attempt that inserted its replay too would fail on the first replayed key, again and again.
     */
    @ParameterizedTest
    @EnumSource(PostgresSinks.Keys.class)
    void aPostgresOutageIsRiddenOutWithNothingLostOrChanged(PostgresSinks.Keys keys) throws Exception {
        try (ReplayExchange replay = bed.replay(3000, FaultConfig.NONE)) {
            Configuration conf = new Configuration();
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", "1000");
            conf.setString("restart-strategy.fixed-delay.delay", "1 s");
            StreamExecutionEnvironment env = JobTestBed.environment(conf);
            bed.job(bed.source(replay), ParityFixture.snapshot(ParityFixture.V2), null, SERVING, keys)
                    .build(env);
            JobClient client = env.executeAsync("postgres outage");
            await().atMost(Duration.ofSeconds(60)).until(() -> bed.count("candles") > 100);

            bed.stopDatabase();
            Thread.sleep(5_000);
            bed.startDatabase();

            // Rows written again after the restore from the last checkpoint are expected (at-least-once);
            // what must hold is that the stored result is complete and unchanged, and no row written with two values.
            await().atMost(Duration.ofSeconds(120))
                    .ignoreExceptions()
                    .until(() ->
                            bed.count("predictions") >= expected.size() && bed.count("candles") >= bed.totalCandles());
            assertThat(client.getJobStatus().get())
                    .as("the job recovered by itself")
                    .isEqualTo(JobStatus.RUNNING);
            client.cancel().get();
        }

        assertStoredExactlyTheExpectedRows(Rewrites.ALLOWED);
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
        try (ReplayExchange replay = bed.replay(3000, faults)) {
            StreamExecutionEnvironment env = JobTestBed.environment(new Configuration());
            job(bed.source(replay).requestTimeout(Duration.ofMillis(700))).build(env);
            JobClient client = env.executeAsync("with faults");
            await().atMost(Duration.ofSeconds(120))
                    .until(() ->
                            bed.count("predictions") >= expected.size() && bed.count("candles") >= bed.totalCandles());
            client.cancel().get();
        }

        assertStoredExactlyTheExpectedRows(Rewrites.FORBIDDEN);
    }

    /**
     * Every replayed candle as served, every gap, one prediction per gap-free window with exactly the values of
     * scoring and serving it directly, nothing else; and, without a restore, every row written once (an upsert must
     * not be hiding a duplicate emission).
     */
    private static void assertStoredExactlyTheExpectedRows(Rewrites rewrites) throws SQLException {
        bed.assertStored(
                bed.expectation()
                        .modelVersions(ParityFixture.V2)
                        .reference(StoredTable.PREDICTIONS, JobTestBed.reference(expected))
                        .build(),
                rewrites);
    }

    private static List<Prediction> scoreEveryGapFreeWindowDirectly(Map<String, List<Candle>> series) throws Exception {
        List<Prediction> predictions = new ArrayList<>();
        try (Predictor predictor = new Predictor(
                OnnxModel.load(ParityFixture.model(ParityFixture.V2), "1m", 60),
                Clock.systemUTC(),
                JobTestBed.BATCHING.maxBatch())) {
            for (List<Candle> candles : series.values()) {
                predictions.addAll(ServingReplay.serve(candles, predictor, SERVING));
            }
        }
        assertThat(predictions.stream().filter(p -> p.guardWeight() > 0))
                .as("the guard weight moves in this test")
                .isNotEmpty();
        return predictions;
    }

    private static ChronoPriceJob job(CandleSourceBuilder source) {
        return bed.job(source, ParityFixture.snapshot(ParityFixture.V2), null, SERVING);
    }

    private static void runToEnd(CandleSourceBuilder source) throws Exception {
        StreamExecutionEnvironment env = JobTestBed.environment(new Configuration());
        job(source).build(env);
        env.execute("bounded");
    }
}
