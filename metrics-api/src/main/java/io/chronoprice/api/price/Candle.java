package io.chronoprice.api.price;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A closed candle as stored, with the time the job wrote it. */
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
