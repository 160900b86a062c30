package io.chronoprice.api.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The champion and the challengers judged on the same targets: the resolved targets of the window that every one
 * of them predicted. Per-version metrics over a window are not comparable when the versions predicted different
 * targets (a challenger added an hour ago has only the last hour, which may have been an easy one); here every
 * version answers for exactly the same candles.
 *
 * @param champion the interval's champion; null when it has no resolved prediction in the window (then there is
 *     nothing to test the challengers against)
 * @param commonTargets how many targets every compared version predicted and are resolved
 * @param firstTargetTime the oldest common target; null when there is none
 * @param lastTargetTime the newest common target; null when there is none
 * @param models each compared version (the champion first) on the common targets
 * @param tests each challenger against the champion (empty without a champion or a challenger)
 */
@Serdeable
public record VersionComparison(
        @Nullable String champion,
        long commonTargets,
        @Nullable Instant firstTargetTime,
        @Nullable Instant lastTargetTime,
        List<CommonTargetMetrics> models,
        List<ChallengerTest> tests) {}
