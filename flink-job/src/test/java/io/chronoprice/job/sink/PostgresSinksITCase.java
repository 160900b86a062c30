package io.chronoprice.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.Prediction;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three sinks' statements against the real schema: every column lands as the job computed it (times to the
 * millisecond, doubles to the bit), a replayed row overwrites its values but keeps the time a forecast was first
 * written, and a gap is recorded once.
 */
class PostgresSinksITCase {

    private static final long OPEN = Instant.parse("2024-03-01T10:07:00.123Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private static Path dataDir;
    private static EmbeddedDatabase db;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("chronoprice-pg");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        db = EmbeddedDatabase.start(port, dataDir, "writer", "reader");
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute(
                    "INSERT INTO models (model_version, created_at, interval, window_size, feature_names, quantiles,"
                            + " artifact_sha256) VALUES ('sink-test', now(), '1m', 60, '{f}', '{0.1,0.5,0.9}', repeat('0', 64))");
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void candlesLandColumnForColumnAndAReplayOverwritesThem() throws Exception {
        Candle first = new Candle("sinktest", "BTCUSDT", "1m", OPEN, 0.1 + 0.2, 1e-9 + 1, 1e-9, 0.7, 1234.5678, 0);
        Candle second = new Candle("sinktest", "BTCUSDT", "1m", OPEN + MINUTE, 3, 4, 2, 3.5, 0, 0);
        write(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST), Candle.class, List.of(first, second));

        assertThat(candles()).containsExactly(first, second);

        Candle corrected = new Candle("sinktest", "BTCUSDT", "1m", OPEN, 5, 6, 4, 5.5, 7, 0);
        write(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.MAY_EXIST), Candle.class, List.of(corrected));

        assertThat(candles()).containsExactly(corrected, second);
    }

    @Test
    void predictionsLandColumnForColumnAndAReplayKeepsTheirFirstWriteTime() throws Exception {
        Prediction p = prediction(OPEN + 5 * MINUTE, 101.25, OPEN - 7);
        write(PostgresSinks.predictions(db.writer(), PostgresSinks.Keys.MAY_EXIST), Prediction.class, List.of(p));

        assertThat(predictions()).containsExactly(p);

        Prediction replayed = prediction(OPEN + 5 * MINUTE, 99.5, OPEN + 60_000);
        write(
                PostgresSinks.predictions(db.writer(), PostgresSinks.Keys.MAY_EXIST),
                Prediction.class,
                List.of(replayed));

        assertThat(predictions()).containsExactly(prediction(OPEN + 5 * MINUTE, 99.5, p.createdAtMs()));
    }

    @Test
    void aGapIsRecordedOnceWithTheLastCandleBeforeIt() throws Exception {
        Candle afterGap = new Candle("sinktest-gaps", "ETHUSDT", "1m", OPEN + 10 * MINUTE, 3, 4, 2, 3.5, 1, 3);
        write(PostgresSinks.gaps(db.writer(), PostgresSinks.Keys.MAY_EXIST), Candle.class, List.of(afterGap));
        write(PostgresSinks.gaps(db.writer(), PostgresSinks.Keys.MAY_EXIST), Candle.class, List.of(afterGap));

        try (Connection c = connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT last_open_time_before, first_open_time_after, missing_candles"
                                + " FROM candle_gaps WHERE exchange = 'sinktest-gaps'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getTimestamp(1).getTime()).isEqualTo(OPEN + 6 * MINUTE);
            assertThat(rs.getTimestamp(2).getTime()).isEqualTo(OPEN + 10 * MINUTE);
            assertThat(rs.getInt(3)).isEqualTo(3);
            assertThat(rs.next()).as("recorded once").isFalse();
        }
    }

    /** A new label's first attempt inserts instead of upserting; the rows are the same. */
    @Test
    void rowsOfANewLabelLandAsUpsertedOnesDoAndTheLabelThenHasRows() throws Exception {
        Candle candle = new Candle("sinktest-new", "BTCUSDT", "1m", OPEN, 0.1 + 0.2, 1e-9 + 1, 1e-9, 0.7, 1.5, 0);
        Candle afterGap = new Candle("sinktest-new-gap", "BTCUSDT", "1m", OPEN + 9 * MINUTE, 3, 4, 2, 3.5, 1, 2);
        Prediction p = prediction("sinktest-new-forecast", OPEN + 5 * MINUTE, 101.25, OPEN - 7);
        try (Connection c = connect()) {
            for (String label : List.of("sinktest-new", "sinktest-new-gap", "sinktest-new-forecast")) {
                assertThat(PostgresSinks.anyRowFiledUnder(c, label)).as(label).isFalse();
            }

            write(PostgresSinks.candles(db.writer(), PostgresSinks.Keys.NEW), Candle.class, List.of(candle));
            write(PostgresSinks.gaps(db.writer(), PostgresSinks.Keys.NEW), Candle.class, List.of(afterGap));
            write(PostgresSinks.predictions(db.writer(), PostgresSinks.Keys.NEW), Prediction.class, List.of(p));

            assertThat(candles("sinktest-new")).containsExactly(candle);
            assertThat(predictions("sinktest-new-forecast")).containsExactly(p);
            for (String label : List.of("sinktest-new", "sinktest-new-gap", "sinktest-new-forecast")) {
                assertThat(PostgresSinks.anyRowFiledUnder(c, label)).as(label).isTrue();
            }
        }
    }

    private static Prediction prediction(long target, double predicted, long createdAt) {
        return prediction("sinktest", target, predicted, createdAt);
    }

    private static Prediction prediction(String exchange, long target, double predicted, long createdAt) {
        return new Prediction(
                exchange,
                "BTCUSDT",
                "1m",
                target,
                "sink-test",
                predicted,
                predicted - 0.5,
                predicted + 0.25,
                100.0,
                target - MINUTE,
                createdAt,
                predicted + 1e-12,
                predicted - 0.75,
                predicted + 0.5,
                0.3,
                -0.1,
                0.2,
                1.0 / 3,
                0.0021,
                0.0019);
    }

    private static <T> void write(Sink<T> sink, Class<T> type, List<T> rows) throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(
                new SinkWriterOperatorFactory<>(sink),
                TypeInformation.of(type).createSerializer(new SerializerConfigImpl()))) {
            harness.open();
            for (T row : rows) {
                harness.processElement(new StreamRecord<>(row));
            }
            harness.prepareSnapshotPreBarrier(1);
        }
    }

    private static List<Candle> candles() throws SQLException {
        return candles("sinktest");
    }

    private static List<Candle> candles(String exchange) throws SQLException {
        List<Candle> candles = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT exchange, symbol, interval, open_time, open, high, low, close, volume"
                                + " FROM candles WHERE exchange = ? ORDER BY open_time")) {
            ps.setString(1, exchange);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                candles.add(new Candle(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).getTime(),
                        rs.getDouble(5),
                        rs.getDouble(6),
                        rs.getDouble(7),
                        rs.getDouble(8),
                        rs.getDouble(9),
                        0));
            }
        }
        return candles;
    }

    private static List<Prediction> predictions() throws SQLException {
        return predictions("sinktest");
    }

    private static List<Prediction> predictions(String exchange) throws SQLException {
        List<Prediction> predictions = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT exchange, symbol, interval, target_open_time,"
                        + " model_version, predicted_close, lower_close, upper_close, naive_close,"
                        + " window_end_open_time, created_at, raw_predicted_close, raw_lower_close, raw_upper_close,"
                        + " guard_weight, calibration_lower, calibration_upper, window_scale, rolling_sigma, ewma_sigma"
                        + " FROM predictions WHERE exchange = ? ORDER BY target_open_time")) {
            ps.setString(1, exchange);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                predictions.add(new Prediction(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).getTime(),
                        rs.getString(5),
                        rs.getDouble(6),
                        rs.getDouble(7),
                        rs.getDouble(8),
                        rs.getDouble(9),
                        rs.getTimestamp(10).getTime(),
                        rs.getTimestamp(11).getTime(),
                        rs.getDouble(12),
                        rs.getDouble(13),
                        rs.getDouble(14),
                        rs.getDouble(15),
                        rs.getDouble(16),
                        rs.getDouble(17),
                        rs.getDouble(18),
                        rs.getDouble(19),
                        rs.getDouble(20)));
            }
        }
        return predictions;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
    }
}
