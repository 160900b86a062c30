package io.chronoprice.job.sink;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.db.DbSettings;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.Prediction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * The job's writes to PostgreSQL, with flink-connector-jdbc's at-least-once sink. Statements are idempotent upserts
 * on the table's primary key, so the rows replayed after a restore from a checkpoint land on themselves: at-least-once
 * delivery with exactly-once results. The one exception is a job whose rows are all new ({@link Keys#NEW}): its first
 * attempt has nothing to replay and inserts them.
 *
 * <p>Rows are buffered and each batch is written by one statement ({@link BatchStatement}). An upsert statement may
 * not hold one key twice, and no batch does: a series' candles come in order, each once per run of the job, and each
 * window yields one forecast per model version.
 */
public final class PostgresSinks {

    static final BatchStatement<Candle> UPSERT_CANDLES = BatchStatement.<Candle>insertInto("candles")
            .text("exchange", Candle::exchange)
            .text("symbol", Candle::symbol)
            .text("interval", Candle::interval)
            .time("open_time", Candle::openTimeMs)
            .number("open", Candle::open)
            .number("high", Candle::high)
            .number("low", Candle::low)
            .number("close", Candle::close)
            .number("volume", Candle::volume)
            .updateOnConflict(List.of("exchange", "symbol", "interval", "open_time"));

    /** A replayed forecast keeps the time it was first written. */
    static final BatchStatement<Prediction> UPSERT_PREDICTIONS = BatchStatement.<Prediction>insertInto("predictions")
            .text("exchange", Prediction::exchange)
            .text("symbol", Prediction::symbol)
            .text("interval", Prediction::interval)
            .time("target_open_time", Prediction::targetOpenTimeMs)
            .text("model_version", Prediction::modelVersion)
            .number("predicted_close", Prediction::predictedClose)
            .number("lower_close", Prediction::lowerClose)
            .number("upper_close", Prediction::upperClose)
            .number("naive_close", Prediction::naiveClose)
            .time("window_end_open_time", Prediction::windowEndOpenTimeMs)
            .time("created_at", Prediction::createdAtMs)
            .number("raw_predicted_close", Prediction::rawPredictedClose)
            .number("raw_lower_close", Prediction::rawLowerClose)
            .number("raw_upper_close", Prediction::rawUpperClose)
            .number("guard_weight", Prediction::guardWeight)
            .number("calibration_lower", Prediction::calibrationLower)
            .number("calibration_upper", Prediction::calibrationUpper)
            .number("window_scale", Prediction::windowScale)
            .number("rolling_sigma", Prediction::rollingSigma)
            .number("ewma_sigma", Prediction::ewmaSigma)
            .updateOnConflict(
                    List.of("exchange", "symbol", "interval", "target_open_time", "model_version"), "created_at");

    /** The gap in front of each candle whose {@code missingBefore} is positive; a gap is recorded once. */
    static final BatchStatement<Candle> INSERT_GAPS = BatchStatement.<Candle>insertInto("candle_gaps")
            .text("exchange", Candle::exchange)
            .text("symbol", Candle::symbol)
            .text("interval", Candle::interval)
            .time(
                    "last_open_time_before",
                    c -> c.openTimeMs()
                            - (c.missingBefore() + 1L)
                                    * CandleInterval.fromCode(c.interval()).millis())
            .time("first_open_time_after", Candle::openTimeMs)
            .count("missing_candles", Candle::missingBefore)
            .ignoreOnConflict(List.of("exchange", "symbol", "interval", "first_open_time_after"));

    private PostgresSinks() {}

    /** What a job knows of its rows' keys before it writes them. */
    public enum Keys {
        /**
         * Some may be stored already: a live job's backfill rereads candles it stored, and a backtest may reuse a
         * label. Every statement upserts.
         */
        MAY_EXIST,
        /**
         * None is stored yet (a backtest under a label with no rows), and the job emits each key once. Its first
         * attempt inserts; a restarted attempt, which replays rows from its last checkpoint, upserts. Should a key
         * be there after all (two runs under one label at once), the insert fails the task and the restart upserts.
         */
        NEW
    }

    public static Sink<Candle> candles(DbSettings db, Keys keys) {
        return sink(UPSERT_CANDLES, db, keys);
    }

    public static Sink<Prediction> predictions(DbSettings db, Keys keys) {
        return sink(UPSERT_PREDICTIONS, db, keys);
    }

    /** Records the gap in front of each candle whose {@code missingBefore} is positive. */
    public static Sink<Candle> gaps(DbSettings db, Keys keys) {
        return sink(INSERT_GAPS, db, keys);
    }

    /** Whether any candle, gap or prediction is filed under {@code exchange} (a backtest's label, say). */
    public static boolean anyRowFiledUnder(Connection c, String exchange) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM candles WHERE exchange = ?)"
                + " OR EXISTS (SELECT 1 FROM predictions WHERE exchange = ?)"
                + " OR EXISTS (SELECT 1 FROM candle_gaps WHERE exchange = ?)")) {
            for (int i = 1; i <= 3; i++) {
                ps.setString(i, exchange);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * How long a buffered row waits at most before it is written: it bounds how long a live row waits to be readable
     * (the API's freshness is the source's close lag plus this), while a backfill or a backtest still writes
     * hundreds of rows per statement at its rate.
     */
    static final long FLUSH_DELAY_MS = 100;

    /** Rows per statement: a backtest's statement triggers fire once per this many rows. */
    static final int BATCH_ROWS = 500;

    private static <T> Sink<T> sink(BatchStatement<T> statement, DbSettings db, Keys keys) {
        return new FailoverSafeJdbcSink<>(statement, connection(db), BATCH_ROWS, FLUSH_DELAY_MS, keys == Keys.NEW);
    }

    private static JdbcConnectionOptions connection(DbSettings db) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(db.jdbcUrl())
                .withDriverName("org.postgresql.Driver")
                .withUsername(db.user())
                .withPassword(db.password())
                .build();
    }
}
