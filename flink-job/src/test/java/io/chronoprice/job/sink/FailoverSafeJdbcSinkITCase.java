package io.chronoprice.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.DemoData;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The candle sink as Flink's sink writer operator runs it, against a real PostgreSQL: rows are durable at each
 * checkpoint barrier and once their flush delay has passed, a full batch is written at once by one statement, and
 * closing the writer while PostgreSQL is gone does not
 * throw (which would exit the whole TaskManager during a failover), where the connector's own writer does.
 */
class FailoverSafeJdbcSinkITCase {

    private static final List<Candle> CANDLES = DemoData.binance("BTCUSDT").subList(0, 5);

    private Path dataDir;
    private int port;
    private EmbeddedDatabase db;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("chronoprice-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        db = EmbeddedDatabase.start(port, dataDir, "writer", "reader");
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void everyRowIsWrittenByTheCheckpointBarrierAndOnceOnly() throws Exception {
        try (var harness = harness(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST))) {
            harness.open();
            for (Candle c : CANDLES) {
                harness.processElement(new StreamRecord<>(c));
            }
            assertThat(count()).as("batched, not yet flushed").isZero();

            harness.prepareSnapshotPreBarrier(1);

            assertThat(count()).isEqualTo(CANDLES.size());
        }
    }

    @Test
    void aFullBatchIsWrittenAtOnceAsOneStatement() throws Exception {
        List<Candle> day = DemoData.binance("BTCUSDT");
        assertThat(day).hasSizeGreaterThan(PostgresSinks.BATCH_ROWS);
        try (var harness = harness(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST))) {
            countStatements();
            harness.open();
            for (Candle c : day.subList(0, PostgresSinks.BATCH_ROWS + 1)) {
                harness.processElement(new StreamRecord<>(c));
            }

            assertThat(count()).as("the full batch, not the row after it").isEqualTo(PostgresSinks.BATCH_ROWS);
            assertThat(statements("INSERT")).as("one statement for the batch").isEqualTo(1);
        }
    }

    /**
     * PostgreSQL fires a table's statement-level UPDATE triggers for every {@code INSERT ... ON CONFLICT DO UPDATE},
     * whether or not a row conflicted: a statement that fires none was a plain insert.
     */
    @Test
    void newKeysAreInsertedInTheFirstAttemptAndUpsertedByARestoredOne() throws Exception {
        Sink<Candle> sink = PostgresSinks.candles(db.writer(), PostgresSinks.Keys.NEW);
        countStatements();
        OperatorSubtaskState checkpoint;
        try (var first = harness(sink)) {
            first.open();
            first.processElement(new StreamRecord<>(CANDLES.get(0)));
            first.prepareSnapshotPreBarrier(1);
            checkpoint = first.snapshot(1, 1);
            first.processElement(new StreamRecord<>(CANDLES.get(1)));
            first.prepareSnapshotPreBarrier(2);
        }
        assertThat(count()).isEqualTo(2);
        assertThat(statements("INSERT")).isEqualTo(2);
        assertThat(statements("UPDATE")).as("plain inserts").isZero();

        // The restored attempt replays the row written after its checkpoint, as a restore from checkpoint 1 would.
        Candle replayed = CANDLES.get(1);
        Candle corrected = new Candle(
                replayed.exchange(),
                replayed.symbol(),
                replayed.interval(),
                replayed.openTimeMs(),
                replayed.open(),
                replayed.high(),
                replayed.low(),
                replayed.close() + 1,
                replayed.volume(),
                replayed.missingBefore());
        try (var restored = harness(sink)) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processElement(new StreamRecord<>(corrected));
            restored.prepareSnapshotPreBarrier(2);
        }
        assertThat(count()).isEqualTo(2);
        assertThat(statements("UPDATE")).as("an upsert").isEqualTo(1);
        assertThat(close(corrected.openTimeMs())).isEqualTo(corrected.close());
    }

    @Test
    void keysThatMayExistAreUpsertedFromTheFirstAttempt() throws Exception {
        countStatements();
        try (var harness = harness(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST))) {
            harness.open();
            harness.processElement(new StreamRecord<>(CANDLES.get(0)));
            harness.prepareSnapshotPreBarrier(1);
        }
        assertThat(statements("UPDATE")).isEqualTo(1);
    }

    @Test
    void aBufferedRowIsWrittenOnceTheFlushDelayHasPassedAndNoTimerWaitsOnAnEmptyBuffer() throws Exception {
        try (var harness = harness(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST))) {
            harness.open();
            harness.setProcessingTime(1_000);
            assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();

            harness.processElement(new StreamRecord<>(CANDLES.get(0)));
            harness.setProcessingTime(1_050);
            harness.processElement(new StreamRecord<>(CANDLES.get(1)));
            assertThat(harness.getProcessingTimeService().getNumActiveTimers())
                    .as("one flush for the whole buffer")
                    .isEqualTo(1);
            harness.setProcessingTime(1_000 + PostgresSinks.FLUSH_DELAY_MS - 1);
            assertThat(count()).isZero();

            harness.setProcessingTime(1_000 + PostgresSinks.FLUSH_DELAY_MS);
            assertThat(count()).as("the first row's delay bounds both").isEqualTo(2);
            assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
        }
    }

    @Test
    void closingWhilePostgresIsGoneDoesNotThrowWhereTheConnectorsWriterDoes() throws Exception {
        var safe = harness(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST));
        var plain = harness(plainConnectorSink(db.writer()));
        safe.open();
        plain.open();
        safe.processElement(new StreamRecord<>(CANDLES.get(0)));
        plain.processElement(new StreamRecord<>(CANDLES.get(1)));

        db.close();

        assertThatThrownBy(plain::close)
                .as("the failure the wrapper exists for")
                .isNotNull();
        safe.close();
        db = EmbeddedDatabase.start(port, dataDir, "writer", "reader");
        assertThat(count()).as("unflushed rows are the restore's to replay").isZero();
    }

    @Test
    void theSinkHasNoCommitterSoFlinkAddsNoCommitterOperator() {
        assertThat(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST))
                .isNotInstanceOf(SupportsCommitter.class);
        assertThat(plainConnectorSink(db.writer())).isInstanceOf(SupportsCommitter.class);
    }

    private static OneInputStreamOperatorTestHarness<Candle, ?> harness(Sink<Candle> sink) throws Exception {
        // The JDBC writer asks the operator for its input serializer (to copy rows when object reuse is on).
        return new OneInputStreamOperatorTestHarness<>(
                new SinkWriterOperatorFactory<>(sink),
                TypeInformation.of(Candle.class).createSerializer(new SerializerConfigImpl()));
    }

    private static Sink<Candle> plainConnectorSink(DbSettings writer) {
        return JdbcSink.<Candle>builder()
                .withQueryStatement(
                        PostgresSinks.UPSERT_CANDLES.sql(),
                        (ps, c) -> PostgresSinks.UPSERT_CANDLES.rows(List.of(c)).bind(ps))
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(500)
                        .withBatchIntervalMs(0)
                        .withMaxRetries(0)
                        .build())
                .buildAtLeastOnce(new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(writer.jdbcUrl())
                        .withDriverName("org.postgresql.Driver")
                        .withUsername(writer.user())
                        .withPassword(writer.password())
                        .build());
    }

    private void countStatements() throws Exception {
        try (Connection c = DriverManager.getConnection(
                        db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
                var st = c.createStatement()) {
            st.execute("CREATE TABLE test_candle_statements (op text NOT NULL)");
            st.execute("CREATE FUNCTION test_count_statement() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN INSERT INTO test_candle_statements VALUES (TG_OP); RETURN NULL; END $$");
            st.execute("CREATE TRIGGER test_count_statements AFTER INSERT OR UPDATE ON candles"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION test_count_statement()");
        }
    }

    /** Statements on candles so far that fired its statement triggers for {@code op}, counted by one of our own. */
    private long statements(String op) throws Exception {
        return ((Number) value("SELECT count(*) FROM test_candle_statements WHERE op = ?", op)).longValue();
    }

    private double close(long openTimeMs) throws Exception {
        return (Double) value("SELECT close FROM candles WHERE open_time = to_timestamp(? / 1000.0)", openTimeMs);
    }

    /** The one value {@code sql} selects with {@code parameter}. */
    private Object value(String sql, Object parameter) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
                var ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }

    private long count() throws Exception {
        return rows("candles");
    }

    private long rows(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
