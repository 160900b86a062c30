package io.chronoprice.api.price;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * One page of the actual-vs-predicted series of one model version, oldest first.
 *
 * @param modelVersion the version of every point: the interval's champion when the request named none
 * @param nextCursor pass as {@code cursor} (with the same other parameters) for the next page; null on the last
 */
@Serdeable
public record HistoryPage(
        String exchange,
        String symbol,
        String interval,
        String modelVersion,
        Instant from,
        Instant to,
        int limit,
        List<PredictionView> points,
        @Nullable String nextCursor) {}
