package io.chronoprice.api.price;

import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A closed candle as stored, with the time the job wrote it. Also the read-only mapping of a {@code candles} row for
 * the repositories (no {@code @Id}: the API never writes).
 */
@MappedEntity("candles")
@Serdeable
public record Candle(
        String exchange,
        String symbol,
        String interval,
        Instant openTime,
        double open,
        double high,
        double low,
        double close,
        double volume,
        Instant ingestedAt) {}
