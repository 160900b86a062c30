package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * How an 80 % interval did on the resolved predictions of a window: its coverage and its mean Winkler score.
 * Coverage alone rewards wide intervals; the Winkler score also charges for the width, so the two read together
 * say whether an interval is both honest and narrow.
 *
 * @param intervalCoverage share of resolved predictions whose actual close fell inside the interval, with its 95 %
 *     Wilson interval; its {@code total} is also the number of rows the Winkler score is averaged over
 * @param winklerBps mean Winkler score (alpha 0.2) in basis points of the actual close; lower is better; null when
 *     no resolved row has this interval. Per row: the width {@code upper - lower}, plus 10 times the distance by
 *     which the actual fell outside, divided by the actual close, times 10 000
 */
@Serdeable
public record IntervalScore(
        WilsonInterval intervalCoverage, @Nullable Double winklerBps) {}
