package io.chronoprice.api.symbols;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * What is tracked for one series and how fresh it is. Staleness is measured on write times (candle
 * {@code ingested_at}, prediction {@code created_at}), so it also makes sense for replayed historical data. The
 * prediction fields are the champion's (the served forecast); null when the interval has no champion or it has not
 * predicted this series. Also the projection of the repository query that reads it.
 */
@Introspected
@Serdeable
public record TrackedSeries(
        String exchange,
        String symbol,
        String interval,
        @Nullable Instant latestCandleOpenTime,
        @Nullable Instant latestCandleIngestedAt,
        @Nullable Double candleStalenessSeconds,
        @Nullable Instant latestPredictionTargetTime,
        @Nullable Instant latestPredictionCreatedAt,
        @Nullable Double predictionStalenessSeconds) {}
