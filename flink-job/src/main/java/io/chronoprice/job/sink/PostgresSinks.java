package io.chronoprice.job.sink;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.db.DbSettings;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.Prediction;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * The job's writes to PostgreSQL, with flink-connector-jdbc's at-least-once sink. Every statement is an
 * idempotent upsert on the table's primary key, so the rows replayed after a restore from a checkpoint
 * land on themselves: at-least-once delivery with exactly-once results.
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

    public static Sink<Candle> candles(DbSettings db) {
        return sink(UPSERT_CANDLES, db);
    }

    public static Sink<Prediction> predictions(DbSettings db) {
        return sink(UPSERT_PREDICTIONS, db);
    }

    /** Records the gap in front of each candle whose {@code missingBefore} is positive. */
    public static Sink<Candle> gaps(DbSettings db) {
        return sink(INSERT_GAPS, db);
    }

    /**
     * How long a buffered row waits at most before it is written: it bounds how long a live row waits to be readable
     * (the API's freshness is the source's close lag plus this), while a backfill or a backtest still writes
     * hundreds of rows per statement at its rate.
     */
    static final long FLUSH_DELAY_MS = 100;

    /** Rows per statement: a backtest's statement triggers fire once per this many rows. */
    static final int BATCH_ROWS = 500;

    private static <T> Sink<T> sink(BatchStatement<T> statement, DbSettings db) {
        return new FailoverSafeJdbcSink<>(statement, connection(db), BATCH_ROWS, FLUSH_DELAY_MS);
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
