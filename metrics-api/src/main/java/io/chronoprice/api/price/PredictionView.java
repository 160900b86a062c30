package io.chronoprice.api.price;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One prediction next to its outcome, as the {@code prediction_outcomes} view joins them. The actual, the error
 * (predicted minus actual) and the hit flags stay null until the target candle exists. The bounds are the
 * model's 80 % interval. Also the read-only mapping of the view's rows for the repositories (columns by name).
 */
@MappedEntity("prediction_outcomes")
@Serdeable
public record PredictionView(
        String exchange,
        String symbol,
        String interval,
        Instant targetOpenTime,
        String modelVersion,
        double predictedClose,
        @Nullable Double lowerClose,
        @Nullable Double upperClose,
        double naiveClose,
        Instant windowEndOpenTime,
        Instant createdAt,
        @Nullable Double actualClose,
        @Nullable Double error,
        @Nullable Boolean inInterval,
        @Nullable Boolean directionHit) {

    /** The view's columns in this record's order; every reader of predictions selects exactly these. */
    public static final String COLUMNS = "o.exchange, o.symbol, o.interval, o.target_open_time, o.model_version,"
            + " o.predicted_close, o.lower_close, o.upper_close, o.naive_close, o.window_end_open_time,"
            + " o.created_at, o.actual_close, o.error, o.in_interval, o.direction_hit";

    /** Optional model version filter on the view aliased {@code o}: {@code :modelVersion}, null for every model. */
    public static final String MODEL_FILTER =
            "o.model_version = COALESCE(CAST(:modelVersion AS text), o.model_version)";
}
