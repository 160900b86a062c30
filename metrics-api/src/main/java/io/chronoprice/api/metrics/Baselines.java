package io.chronoprice.api.metrics;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The two interval baselines on the same rows: an 80 % interval needs no model at all, only a volatility estimate
 * around the naive forecast, {@code naive x exp(+/-1.2816 sigma)}. A model interval that does not beat these on
 * Winkler score adds nothing. Rows without the sigmas (written before they were recorded) do not count.
 *
 * @param rollingVolatility sigma = standard deviation of the input window's log-returns
 * @param ewmaVolatility sigma = RiskMetrics EWMA (lambda 0.94) volatility of the window's log-returns
 */
@Serdeable
public record Baselines(IntervalScore rollingVolatility, IntervalScore ewmaVolatility) {}
