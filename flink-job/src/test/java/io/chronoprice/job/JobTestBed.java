package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.ScoreBatching;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.sink.PostgresSinks;
import io.chronoprice.job.source.CandleSource;
import io.chronoprice.job.source.CandleSourceBuilder;
import io.chronoprice.replay.FaultConfig;
import io.chronoprice.replay.ReplayExchange;
import io.chronoprice.rowcheck.CheckResult.Rewrites;
import io.chronoprice.rowcheck.Expectation;
import io.chronoprice.rowcheck.RowKey;
import io.chronoprice.rowcheck.SourceCandle;
import io.chronoprice.rowcheck.StoredRowCheck;
import io.chronoprice.rowcheck.StoredRows;
import io.chronoprice.rowcheck.WriteLog;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * What the whole-job ITCases share: a real PostgreSQL on a fixed port with a kept data directory (so a test can
 * stop and restart it), slices of the real demo candles served by the replay exchange over HTTP, the job wired to
 * them, the stored-row checker's write log (every row the job tries to write, so that a duplicate emission cannot
 * hide behind the upsert), and the checker's expectation for the replayed candles.
 */
final class JobTestBed implements AutoCloseable {

    /** The job's scoring batches; a reference computed outside the job must use the same model batch size. */
    static final ScoreBatching BATCHING = ScoreBatching.DEFAULT;

    /** 2021-05-14 18:00 UTC, inside the demo candles. */
    static final long MAY_14_18H = 1621015200000L;

    final Path dataDir;
    final Map<String, List<Candle>> replayed;
    final long from;

    private final int pgPort;
    private final Path pgData;
    private EmbeddedDatabase db;

    /** {@code slices}: symbol -> last open time to replay, from {@code from}. */
    JobTestBed(Path dataDir, long from, Map<String, Long> slices) throws Exception {
        this.dataDir = dataDir;
        this.from = from;
        this.pgData = Files.createTempDirectory("chronoprice-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            this.pgPort = socket.getLocalPort();
        }
        this.db = EmbeddedDatabase.start(pgPort, pgData, "writer", "reader");
        this.replayed = new TreeMap<>();
        slices.forEach((symbol, to) -> replayed.put(symbol, DemoSlice.write(dataDir, symbol, from, to)));
        try (Connection c = connect()) {
            WriteLog.install(c);
        }
    }

    DbSettings writer() {
        return db.writer();
    }

    void stopDatabase() {
        db.close();
    }

    void startDatabase() {
        db = EmbeddedDatabase.start(pgPort, pgData, "writer", "reader");
    }

    @Override
    public void close() {
        db.close();
    }

    void emptyTables() throws SQLException {
        execute("TRUNCATE candles, predictions, candle_gaps, " + WriteLog.TABLE);
    }

    /** The replay exchange over the slices; at a positive speed its clock starts five minutes into them. */
    ReplayExchange replay(double speed, FaultConfig faults) throws Exception {
        ReplayExchange.Builder builder =
                ReplayExchange.builder().dataDir(dataDir).port(0).speed(speed).faults(faults);
        if (speed > 0) {
            builder.startTime(Instant.ofEpochMilli(from + 5 * 60_000L));
        }
        return builder.start();
    }

    CandleSourceBuilder source(ReplayExchange replay) {
        return CandleSource.builder()
                .exchange("binance")
                .baseUri(replay.baseUri())
                .symbols(List.copyOf(replayed.keySet()))
                .interval("1m")
                .startAt(Instant.ofEpochMilli(from))
                .closeLag(Duration.ofMillis(10))
                .minPollDelay(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                // The replay exchange reports request weight per wall-clock minute; at 3000x it is not Binance.
                .usedWeightLimit(1_000_000);
    }

    ChronoPriceJob job(
            CandleSourceBuilder source,
            RegistrySnapshot models,
            Source<RegistrySnapshot, ?, ?> registry,
            ServingParams serving) {
        return job(source, models, registry, serving, PostgresSinks.Keys.MAY_EXIST);
    }

    ChronoPriceJob job(
            CandleSourceBuilder source,
            RegistrySnapshot models,
            Source<RegistrySnapshot, ?, ?> registry,
            ServingParams serving,
            PostgresSinks.Keys keys) {
        DbSettings writer = db.writer();
        return new ChronoPriceJob(
                source.build(),
                new ChronoPriceJob.Sinks(
                        PostgresSinks.candles(writer, keys),
                        PostgresSinks.gaps(writer, keys),
                        PostgresSinks.predictions(writer, keys)),
                models,
                registry,
                "1m",
                60,
                serving,
                BATCHING,
                null);
    }

    /** One TaskManager with two slots: the jobs run with parallelism 2. */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }

    static StreamExecutionEnvironment environment(Configuration conf) {
        conf.setString("execution.checkpointing.interval", "500 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    long totalCandles() {
        return replayed.values().stream().mapToLong(List::size).sum();
    }

    long count(String table) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM " + table).get(0));
    }

    /**
     * What the job must store for the replayed candles (exchange binance, 1m, windows of 60): every candle, the gaps,
     * and, once the model versions are added, a prediction per full gap-free window and version.
     */
    Expectation.Builder expectation() {
        Expectation.Builder expected = Expectation.builder("binance", "1m", 60);
        replayed.forEach((symbol, candles) -> expected.series(
                symbol,
                candles.stream()
                        .map(c -> new SourceCandle(c.openTimeMs(), c.open(), c.high(), c.low(), c.close(), c.volume()))
                        .toList()));
        return expected;
    }

    StoredRows stored() throws SQLException {
        try (Connection c = connect()) {
            return StoredRows.read(c);
        }
    }

    /**
     * The stored-row check: exactly the expected rows with the expected values, no key written with two values and,
     * unless {@code rewrites} allows it (a restore happened), none written twice (the upserts would hide it).
     */
    void assertStored(Expectation expected, StoredRows stored, Rewrites rewrites) {
        assertThat(StoredRowCheck.check(expected, stored).problems(rewrites))
                .as("stored rows")
                .isEmpty();
    }

    void assertStored(Expectation expected, Rewrites rewrites) throws SQLException {
        assertStored(expected, stored(), rewrites);
    }

    /** Predictions computed outside the job, as the reference values of every column the sink writes. */
    static Map<RowKey, Map<String, Object>> reference(List<Prediction> predictions) {
        Map<RowKey, Map<String, Object>> rows = new HashMap<>();
        for (Prediction p : predictions) {
            Map<String, Object> values = new HashMap<>();
            values.put("predicted_close", p.predictedClose());
            values.put("lower_close", p.lowerClose());
            values.put("upper_close", p.upperClose());
            values.put("naive_close", p.naiveClose());
            values.put("window_end_open_time", p.windowEndOpenTimeMs());
            values.put("raw_predicted_close", p.rawPredictedClose());
            values.put("raw_lower_close", p.rawLowerClose());
            values.put("raw_upper_close", p.rawUpperClose());
            values.put("guard_weight", p.guardWeight());
            values.put("calibration_lower", p.calibrationLower());
            values.put("calibration_upper", p.calibrationUpper());
            values.put("window_scale", p.windowScale());
            values.put("rolling_sigma", p.rollingSigma());
            values.put("ewma_sigma", p.ewmaSigma());
            rows.put(
                    RowKey.prediction(p.exchange(), p.symbol(), p.interval(), p.targetOpenTimeMs(), p.modelVersion()),
                    values);
        }
        return rows;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Rows as their columns joined by spaces; numbers as Java prints them, so they compare exactly. */
    List<String> query(String sql) throws SQLException {
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

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(
                db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
    }
}
