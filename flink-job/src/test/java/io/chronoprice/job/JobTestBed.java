package io.chronoprice.job;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.serving.ServingParams;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * them, and a trigger that logs every row the job tries to write, so that a duplicate emission cannot hide
 * behind the upsert.
 */
final class JobTestBed implements AutoCloseable {

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
        execute("CREATE TABLE write_attempts (tbl text, key text)");
        execute("CREATE FUNCTION log_attempt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO write_attempts VALUES (TG_TABLE_NAME, NEW.symbol || '@' || coalesce("
                + " to_jsonb(NEW) ->> 'open_time', to_jsonb(NEW) ->> 'target_open_time') || '@'"
                + " || coalesce(to_jsonb(NEW) ->> 'model_version', '')); RETURN NEW; END $$");
        execute("CREATE TRIGGER candles_attempts BEFORE INSERT ON candles FOR EACH ROW EXECUTE FUNCTION log_attempt()");
        execute("CREATE TRIGGER predictions_attempts BEFORE INSERT ON predictions FOR EACH ROW"
                + " EXECUTE FUNCTION log_attempt()");
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
        execute("TRUNCATE candles, predictions, candle_gaps, write_attempts");
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
        DbSettings writer = db.writer();
        return new ChronoPriceJob(
                source.build(),
                new ChronoPriceJob.Sinks(
                        PostgresSinks.candles(writer), PostgresSinks.gaps(writer), PostgresSinks.predictions(writer)),
                models,
                registry,
                "1m",
                60,
                serving,
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

    /** Rows the job emitted more than once; without a failure there must be none. */
    List<String> writtenTwice() throws SQLException {
        return query("SELECT tbl || ' ' || key FROM write_attempts GROUP BY tbl, key HAVING count(*) > 1");
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
