package io.chronoprice.api.live;

import io.chronoprice.api.price.PredictionView;
import io.chronoprice.api.symbols.SeriesKey;
import io.chronoprice.common.series.SeriesId;
import io.micronaut.core.annotation.Nullable;

/**
 * One pushed change: a new prediction ({@code prediction}) or a prediction whose actual candle just arrived
 * ({@code outcome}); both carry the full {@link PredictionView}.
 */
record LiveEvent(String kind, PredictionView row) {

    static final String PREDICTION = "prediction";
    static final String OUTCOME = "outcome";

    /**
     * Unique per row and kind across every series, stable across polls and reconnects: clients and the feed's
     * de-duplication use it. The series in {@link SeriesId}'s text form, {@code exchange:symbol:interval}:
     * {@code prediction:binance@demo:BTCUSDT:1m:2021-05-14T10:01:00Z:lstm-v1}.
     */
    String id() {
        return kind + ":" + SeriesId.key(row.exchange(), row.symbol(), row.interval()) + ":" + row.targetOpenTime()
                + ":" + row.modelVersion();
    }

    boolean belongsTo(SeriesKey key) {
        return row.exchange().equals(key.exchange())
                && row.symbol().equals(key.symbol())
                && row.interval().equals(key.interval());
    }

    /**
     * Whether the row is of the named version or, with none named, of the champion. The champion flag was read
     * with the row at this poll, so a stream follows a promotion from the next poll on without reconnecting.
     */
    boolean isOf(@Nullable String modelVersion) {
        return modelVersion == null ? row.champion() : row.modelVersion().equals(modelVersion);
    }
}
