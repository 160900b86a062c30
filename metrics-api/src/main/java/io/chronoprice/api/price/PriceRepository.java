package io.chronoprice.api.price;

import io.chronoprice.api.sql.Db;
import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads candles and predictions of one series. Each query starts with equality on (exchange, symbol, interval)
 * and orders or ranges on the time column, so it walks the primary key and its cost does not grow with the
 * table.
 */
@Singleton
public final class PriceRepository {

    private static final String SERIES = " WHERE " + SeriesKey.SQL_FILTER;

    // Package-private for PriceQueryPlansITCase, which checks that each of these is index-backed.
    static final String LATEST_CANDLE = """
            SELECT exchange, symbol, interval, open_time, open, high, low, close, volume, ingested_at
            FROM candles o""" + SERIES + " ORDER BY o.open_time DESC LIMIT 1";

    private static final String OUTCOMES = "SELECT " + PredictionView.COLUMNS + " FROM prediction_outcomes o" + SERIES;

    static final String LATEST_PREDICTION = OUTCOMES
            + " AND " + PredictionView.MODEL_FILTER
            + " ORDER BY o.target_open_time DESC, o.model_version DESC LIMIT 1";

    static final String HISTORY = OUTCOMES
            + " AND o.target_open_time >= ? AND o.target_open_time < ?"
            + " AND (o.target_open_time, o.model_version) > (?, ?)"
            + " AND " + PredictionView.MODEL_FILTER
            + " ORDER BY o.target_open_time, o.model_version LIMIT ?";

    private final Db db;

    public PriceRepository(Db db) {
        this.db = db;
    }

    public Optional<Candle> latestCandle(SeriesKey key) {
        return db.first(
                LATEST_CANDLE,
                ps -> key.bind(ps),
                rs -> new Candle(
                        rs.getString("exchange"),
                        rs.getString("symbol"),
                        rs.getString("interval"),
                        Db.instant(rs, "open_time"),
                        rs.getDouble("open"),
                        rs.getDouble("high"),
                        rs.getDouble("low"),
                        rs.getDouble("close"),
                        rs.getDouble("volume"),
                        Db.instant(rs, "ingested_at")));
    }

    public Optional<PredictionView> latestPrediction(SeriesKey key, @Nullable String modelVersion) {
        return db.first(
                LATEST_PREDICTION,
                ps -> {
                    key.bind(ps);
                    Db.setNullableText(ps, 4, modelVersion);
                },
                PredictionView::map);
    }

    /** Up to {@code limit} rows in [from, to) after the cursor, in (target time, model version) order. */
    List<PredictionView> history(
            SeriesKey key, Instant from, Instant to, HistoryCursor after, @Nullable String modelVersion, int limit) {
        return db.list(
                HISTORY,
                ps -> {
                    key.bind(ps);
                    Db.setInstant(ps, 4, from);
                    Db.setInstant(ps, 5, to);
                    Db.setInstant(ps, 6, after.targetOpenTime());
                    ps.setString(7, after.modelVersion());
                    Db.setNullableText(ps, 8, modelVersion);
                    ps.setInt(9, limit);
                },
                PredictionView::map);
    }
}
