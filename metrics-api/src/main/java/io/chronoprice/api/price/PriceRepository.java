package io.chronoprice.api.price;

import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads candles and predictions of one series. Each query starts with equality on (exchange, symbol, interval)
 * and orders or ranges on the time column, so it walks the primary key and its cost does not grow with the
 * table. Predictions are read for one model version, which the controller resolves first (the champion unless the
 * caller names one). The SQL is native and hand-tuned; Micronaut Data binds the named parameters and maps the rows
 * onto the return types by column name.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PriceRepository {

    String SERIES = " WHERE " + SeriesKey.SQL_FILTER;

    // Also read by PriceQueryPlansITCase, which checks that each of these is index-backed.
    String LATEST_CANDLE = """
            SELECT exchange, symbol, interval, open_time, open, high, low, close, volume, ingested_at
            FROM candles o""" + SERIES + " ORDER BY o.open_time DESC LIMIT 1";

    String OUTCOMES = "SELECT " + PredictionView.COLUMNS + " FROM prediction_outcomes o" + SERIES;

    String VERSION = " AND o.model_version = :modelVersion";

    String LATEST_PREDICTION = OUTCOMES + VERSION + " ORDER BY o.target_open_time DESC, o.model_version DESC LIMIT 1";

    String HISTORY = OUTCOMES
            + " AND o.target_open_time >= :from AND o.target_open_time < :to"
            + " AND (o.target_open_time, o.model_version) > (:afterTime, :afterModel)"
            + VERSION
            + " ORDER BY o.target_open_time, o.model_version LIMIT :limit";

    @Query(value = LATEST_CANDLE, nativeQuery = true)
    Optional<Candle> latestCandle(String exchange, String symbol, String interval);

    @Query(value = LATEST_PREDICTION, nativeQuery = true)
    Optional<PredictionView> latestPrediction(String exchange, String symbol, String interval, String modelVersion);

    @Query(value = HISTORY, nativeQuery = true)
    List<PredictionView> history(
            String exchange,
            String symbol,
            String interval,
            Instant from,
            Instant to,
            Instant afterTime,
            String afterModel,
            String modelVersion,
            int limit);

    default Optional<Candle> latestCandle(SeriesKey key) {
        return latestCandle(key.exchange(), key.symbol(), key.interval());
    }

    default Optional<PredictionView> latestPrediction(SeriesKey key, String modelVersion) {
        return latestPrediction(key.exchange(), key.symbol(), key.interval(), modelVersion);
    }

    /** Up to {@code limit} rows of one version in [from, to) after the cursor, in target time order. */
    default List<PredictionView> history(
            SeriesKey key, Instant from, Instant to, HistoryCursor after, String modelVersion, int limit) {
        return history(
                key.exchange(),
                key.symbol(),
                key.interval(),
                from,
                to,
                after.targetOpenTime(),
                after.modelVersion(),
                modelVersion,
                limit);
    }
}
