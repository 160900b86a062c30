package io.chronoprice.api.metrics;

import io.chronoprice.common.stats.DieboldMariano;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@link VersionComparison} of the scored versions (the champion and the challengers): on the targets every
 * one of them predicted, each version's errors averaged over exactly those, and each challenger tested against the
 * champion with chronoprice-stats' {@link DieboldMariano}, the same test the job's promotion rule uses. One version
 * is compared on its own resolved targets ({@link #ofOne}); more from the sums of each one's loss differences with
 * the anchor on those targets ({@link #ofMany}).
 */
final class VersionComparisons {

    static final String CHAMPION = "champion";
    /** The statuses of the versions the job scores, and so compares. */
    static final Set<String> SCORED = Set.of(CHAMPION, "challenger");
    /** The significance level of the verdicts, the one the promotion rule defaults to. */
    static final double ALPHA = 0.05;

    private VersionComparisons() {}

    /** The only scored version: its resolved targets of the window are the common ones. */
    static VersionComparison ofOne(ModelMetrics only, @Nullable Instant firstTarget, @Nullable Instant lastTarget) {
        return new VersionComparison(
                only.champion() ? only.modelVersion() : null,
                only.resolved(),
                firstTarget,
                lastTarget,
                List.of(new CommonTargetMetrics(
                        only.modelVersion(), only.status(), only.champion(), only.mae(), only.naiveMae(), only.mase())),
                List.of());
    }

    /** No scored version has a resolved target in the window. */
    static VersionComparison none() {
        return new VersionComparison(null, 0, null, null, List.of(), List.of());
    }

    /**
     * Two or more scored versions on the targets all of them predicted.
     *
     * @param anchor the champion when it is scored, else the first version
     * @param others the other versions, in the order they are listed after the anchor
     * @param windows per other version, the anchor (as a) and it (as b) on the common targets of every version
     */
    static VersionComparison ofMany(ModelMetrics anchor, List<ModelMetrics> others, List<PairWindow> windows) {
        if (others.isEmpty() || windows.size() != others.size()) {
            throw new IllegalArgumentException(
                    "one window per other version expected, got " + windows.size() + " for " + others.size());
        }
        PairWindow first = windows.get(0);
        long n = first.targets();
        List<CommonTargetMetrics> models = new ArrayList<>();
        models.add(common(anchor, n, first.sumAbsErrorA(), first.sumNaiveAbsErrorA()));
        List<ChallengerTest> tests = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            ModelMetrics other = others.get(i);
            PairWindow w = windows.get(i);
            if (w.targets() != n) {
                // Every pair is read on the same targets; a mismatch is a bug in the SQL, not a property of the data.
                throw new IllegalStateException("the pairs with " + anchor.modelVersion() + " disagree on the common"
                        + " targets: " + n + " with " + others.get(0).modelVersion() + ", " + w.targets() + " with "
                        + other.modelVersion());
            }
            models.add(common(other, n, w.sumAbsErrorB(), w.sumNaiveAbsErrorB()));
            if (anchor.champion()) {
                tests.add(test(other.modelVersion(), anchor.modelVersion(), w.test(true)));
            }
        }
        return new VersionComparison(
                anchor.champion() ? anchor.modelVersion() : null,
                n,
                first.firstTarget(),
                first.lastTarget(),
                models,
                tests);
    }

    private static CommonTargetMetrics common(ModelMetrics m, long n, double absSum, double naiveSum) {
        return new CommonTargetMetrics(
                m.modelVersion(),
                m.status(),
                m.champion(),
                n == 0 ? null : absSum / n,
                n == 0 ? null : naiveSum / n,
                n == 0 || naiveSum == 0 ? null : absSum / naiveSum);
    }

    static ChallengerTest test(String challenger, String champion, DieboldMariano.Result r) {
        String verdict;
        String reading;
        if (Double.isNaN(r.statistic())) {
            verdict = "not-testable";
            reading = r.n() < 2
                    ? "not testable: fewer than 2 common resolved targets"
                    : "not testable: the same errors on every common target";
        } else if (r.pValue() < ALPHA) {
            verdict = r.statistic() < 0 ? "challenger-better" : "champion-better";
            reading = (r.statistic() < 0 ? "challenger" : "champion") + " better at 5 %";
        } else {
            verdict = "no-significant-difference";
            reading = "no significant difference at 5 %";
        }
        return new ChallengerTest(
                challenger,
                champion,
                r.n(),
                finite(r.meanDifference()),
                finite(r.statistic()),
                finite(r.pValue()),
                r.lags(),
                verdict,
                reading);
    }

    /** JSON has no NaN: an undefined number is sent as null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
