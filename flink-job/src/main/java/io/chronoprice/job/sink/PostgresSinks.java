package io.chronoprice.job.sink;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.db.DbSettings;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.Prediction;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The job's writes to PostgreSQL, with flink-connector-jdbc's at-least-once sink. Every statement is an
 * idempotent upsert on the table's primary key, so the rows replayed after a restore from a checkpoint
 * land on themselves: at-least-once delivery with exactly-once results.
 */
public final class PostgresSinks {

    static final String UPSERT_CANDLE = "INSERT INTO candles"
            + " (exchange, symbol, interval, open_time, open, high, low, close, volume)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (exchange, symbol, interval, open_time) DO UPDATE SET open = EXCLUDED.open,"
            + " high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume";

    static final String UPSERT_PREDICTION = "INSERT INTO predictions"
            + " (exchange, symbol, interval, target_open_time, model_version, predicted_close, lower_close,"
            + " upper_close, naive_close, window_end_open_time, created_at, raw_predicted_close, raw_lower_close,"
            + " raw_upper_close, guard_weight, calibration_lower, calibration_upper, window_scale, rolling_sigma,"
            + " ewma_sigma)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (exchange, symbol, interval, target_open_time, model_version) DO UPDATE SET"
            + " predicted_close = EXCLUDED.predicted_close, lower_close = EXCLUDED.lower_close,"
            + " upper_close = EXCLUDED.upper_close, naive_close = EXCLUDED.naive_close,"
            + " window_end_open_time = EXCLUDED.window_end_open_time,"
            + " raw_predicted_close = EXCLUDED.raw_predicted_close, raw_lower_close = EXCLUDED.raw_lower_close,"
            + " raw_upper_close = EXCLUDED.raw_upper_close, guard_weight = EXCLUDED.guard_weight,"
            + " calibration_lower = EXCLUDED.calibration_lower, calibration_upper = EXCLUDED.calibration_upper,"
            + " window_scale = EXCLUDED.window_scale, rolling_sigma = EXCLUDED.rolling_sigma,"
            + " ewma_sigma = EXCLUDED.ewma_sigma";

    static final String INSERT_GAP = "INSERT INTO candle_gaps"
            + " (exchange, symbol, interval, last_open_time_before, first_open_time_after, missing_candles)"
            + " VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (exchange, symbol, interval, first_open_time_after) DO NOTHING";

    private PostgresSinks() {}

    public static Sink<Candle> candles(DbSettings db) {
        return sink(JdbcSink.<Candle>builder()
                .withQueryStatement(UPSERT_CANDLE, (ps, c) -> {
                    ps.setString(1, c.exchange());
                    ps.setString(2, c.symbol());
                    ps.setString(3, c.interval());
                    ps.setObject(4, utc(c.openTimeMs()));
                    ps.setDouble(5, c.open());
                    ps.setDouble(6, c.high());
                    ps.setDouble(7, c.low());
                    ps.setDouble(8, c.close());
                    ps.setDouble(9, c.volume());
                })
                .withExecutionOptions(executionOptions())
                .buildAtLeastOnce(connection(db)));
    }

    public static Sink<Prediction> predictions(DbSettings db) {
        return sink(JdbcSink.<Prediction>builder()
                .withQueryStatement(UPSERT_PREDICTION, (ps, p) -> {
                    ps.setString(1, p.exchange());
                    ps.setString(2, p.symbol());
                    ps.setString(3, p.interval());
                    ps.setObject(4, utc(p.targetOpenTimeMs()));
                    ps.setString(5, p.modelVersion());
                    ps.setDouble(6, p.predictedClose());
                    ps.setDouble(7, p.lowerClose());
                    ps.setDouble(8, p.upperClose());
                    ps.setDouble(9, p.naiveClose());
                    ps.setObject(10, utc(p.windowEndOpenTimeMs()));
                    ps.setObject(11, utc(p.createdAtMs()));
                    ps.setDouble(12, p.rawPredictedClose());
                    ps.setDouble(13, p.rawLowerClose());
                    ps.setDouble(14, p.rawUpperClose());
                    ps.setDouble(15, p.guardWeight());
                    ps.setDouble(16, p.calibrationLower());
                    ps.setDouble(17, p.calibrationUpper());
                    ps.setDouble(18, p.windowScale());
                    ps.setDouble(19, p.rollingSigma());
                    ps.setDouble(20, p.ewmaSigma());
                })
                .withExecutionOptions(executionOptions())
                .buildAtLeastOnce(connection(db)));
    }

    /** Records the gap in front of each candle whose {@code missingBefore} is positive. */
    public static Sink<Candle> gaps(DbSettings db) {
        return sink(JdbcSink.<Candle>builder()
                .withQueryStatement(INSERT_GAP, (ps, c) -> {
                    long step = CandleInterval.fromCode(c.interval()).millis();
                    ps.setString(1, c.exchange());
                    ps.setString(2, c.symbol());
                    ps.setString(3, c.interval());
                    ps.setObject(4, utc(c.openTimeMs() - (c.missingBefore() + 1L) * step));
                    ps.setObject(5, utc(c.openTimeMs()));
                    ps.setInt(6, c.missingBefore());
                })
                .withExecutionOptions(executionOptions())
                .buildAtLeastOnce(connection(db)));
    }

    private static <T> Sink<T> sink(JdbcSink<T> jdbc) {
        return new FailoverSafeJdbcSink<>(jdbc, FLUSH_DELAY_MS);
    }

    /**
     * How long a buffered row waits at most before it is written: it bounds how long a live row waits to be readable
     * (the API's freshness is the source's close lag plus this), while a backfill or a backtest still writes a
     * hundred or more rows per statement batch at its rate.
     */
    static final long FLUSH_DELAY_MS = 100;

    /**
     * Batched, with retries; flushed when 500 rows are buffered, {@link #FLUSH_DELAY_MS} after a row arrives in an
     * empty buffer ({@link FailoverSafeJdbcSink}'s timer, hence no interval here), and on every checkpoint.
     */
    private static JdbcExecutionOptions executionOptions() {
        return JdbcExecutionOptions.builder()
                .withBatchSize(500)
                .withBatchIntervalMs(0)
                .withMaxRetries(5)
                .build();
    }

    private static OffsetDateTime utc(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /**
     * The driver sends each JDBC batch as multi-row INSERTs (up to 128 rows per statement) instead of one statement
     * per row: the accuracy markers' statement triggers (migration V7) then fire once per 128 rows, and a backtest's
     * PostgreSQL work halves. The upserts stay correct because no batch holds one key twice: a series' candles
     * come in order, each once, and each window yields one prediction per model version.
     */
    static String withBatchRewrite(String url) {
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    private static JdbcConnectionOptions connection(DbSettings db) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(withBatchRewrite(db.jdbcUrl()))
                .withDriverName("org.postgresql.Driver")
                .withUsername(db.user())
                .withPassword(db.password())
                .build();
    }
}
