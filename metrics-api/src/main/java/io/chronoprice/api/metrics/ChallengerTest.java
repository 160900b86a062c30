package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The Diebold-Mariano test of one challenger against the champion on the common targets: loss differences
 * {@code d_t = |e_challenger,t| - |e_champion,t|} of the served forecasts in price units, their mean over a
 * Newey-West (Bartlett kernel) standard error, asymptotically standard normal when both are equally accurate.
 *
 * @param n common targets (loss differences)
 * @param meanLossDifference mean of d in price units: negative means the challenger's errors were smaller
 * @param statistic the DM statistic; negative favours the challenger; null when it cannot be computed (fewer than
 *     two targets, or the same errors on every target)
 * @param pValue two-sided p-value; null with the statistic
 * @param lags Newey-West truncation lag, {@code floor(4 (n / 100)^(2/9))}
 * @param verdict {@code challenger-better}, {@code champion-better} (both: p below 0.05),
 *     {@code no-significant-difference} or {@code not-testable}
 * @param reading the verdict in plain words, e.g. "challenger better at 5 %"
 */
@Serdeable
public record ChallengerTest(
        String challenger,
        String champion,
        long n,
        @Nullable Double meanLossDifference,
        @Nullable Double statistic,
        @Nullable Double pValue,
        int lags,
        String verdict,
        String reading) {}
