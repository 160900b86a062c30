package io.chronoprice.api.metrics;

import io.chronoprice.common.stats.DieboldMariano;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link VersionComparison} of the scored versions (the champion and the challengers): on the targets every
 * one of them predicted, each version's errors averaged over exactly those, and each challenger tested against the
 * champion with chronoprice-stats' {@link DieboldMariano}, the same test the job's promotion rule uses. One version
 * is compared on its own resolved targets ({@link #ofOne}) and two from the sums of their loss differences
 * ({@link #ofTwo}); three or more from the window's rows ({@link #of}).
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

    /** Two scored versions, {@code a} before {@code b} in version order, on their common targets {@code w}. */
    static VersionComparison ofTwo(ModelMetrics a, ModelMetrics b, PairWindow w) {
        long n = w.targets();
        CommonTargetMetrics onA = common(a, n, w.sumAbsErrorA(), w.sumNaiveAbsErrorA());
        CommonTargetMetrics onB = common(b, n, w.sumAbsErrorB(), w.sumNaiveAbsErrorB());
        ModelMetrics champion = a.champion() ? a : b.champion() ? b : null;
        List<ChallengerTest> tests = new ArrayList<>();
        if (champion == a) {
            tests.add(test(b.modelVersion(), a.modelVersion(), w.test(true)));
        } else if (champion == b) {
            tests.add(test(a.modelVersion(), b.modelVersion(), w.test(false)));
        }
        return new VersionComparison(
                champion == null ? null : champion.modelVersion(),
                n,
                w.firstTarget(),
                w.lastTarget(),
                champion == b ? List.of(onB, onA) : List.of(onA, onB),
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

    /** @param losses one row per (target, version), oldest target first, as {@link MetricsRepository#LOSSES} reads */
    static VersionComparison of(List<MetricsRepository.Loss> losses) {
        Map<String, String> statuses = new LinkedHashMap<>();
        TreeMap<Instant, Map<String, MetricsRepository.Loss>> byTarget = new TreeMap<>();
        for (MetricsRepository.Loss loss : losses) {
            statuses.put(loss.modelVersion(), loss.status());
            byTarget.computeIfAbsent(loss.targetOpenTime(), t -> new HashMap<>())
                    .put(loss.modelVersion(), loss);
        }
        List<String> versions = statuses.keySet().stream()
                .sorted(Comparator.comparing((String v) -> !CHAMPION.equals(statuses.get(v)))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        // Common targets in time order: the Diebold-Mariano variance needs the loss differences as a time series.
        List<Instant> commonTargets = byTarget.entrySet().stream()
                .filter(atTarget -> atTarget.getValue().size() == versions.size())
                .map(Map.Entry::getKey)
                .toList();
        List<Map<String, MetricsRepository.Loss>> common =
                commonTargets.stream().map(byTarget::get).toList();
        String champion = versions.stream()
                .filter(v -> CHAMPION.equals(statuses.get(v)))
                .findFirst()
                .orElse(null);

        List<CommonTargetMetrics> models = new ArrayList<>();
        for (String version : versions) {
            double absSum = 0;
            double naiveSum = 0;
            for (Map<String, MetricsRepository.Loss> atTarget : common) {
                absSum += atTarget.get(version).absError();
                naiveSum += atTarget.get(version).naiveAbsError();
            }
            int n = common.size();
            models.add(new CommonTargetMetrics(
                    version,
                    statuses.get(version),
                    version.equals(champion),
                    n == 0 ? null : absSum / n,
                    n == 0 ? null : naiveSum / n,
                    n == 0 || naiveSum == 0 ? null : absSum / naiveSum));
        }

        List<ChallengerTest> tests = new ArrayList<>();
        if (champion != null) {
            for (String challenger : versions) {
                if (challenger.equals(champion)) {
                    continue;
                }
                double[] d = common.stream()
                        .mapToDouble(atTarget -> atTarget.get(challenger).absError()
                                - atTarget.get(champion).absError())
                        .toArray();
                tests.add(test(challenger, champion, DieboldMariano.test(d)));
            }
        }
        return new VersionComparison(
                champion,
                common.size(),
                commonTargets.isEmpty() ? null : commonTargets.get(0),
                commonTargets.isEmpty() ? null : commonTargets.get(commonTargets.size() - 1),
                models,
                tests);
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
