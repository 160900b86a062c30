package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The comparison on a seed small enough to work by hand: which targets are common, the metrics on them, and the
 * Diebold-Mariano statistic with its Newey-West variance written out as fractions. The rows are paired with the
 * anchor on the common targets here, as {@code common_target_parts()} (migration V11) pairs them in the database.
 */
class VersionComparisonsTest {

    /** The served forecast's absolute error of one version at one target, with the version's registry status. */
    record Loss(Instant target, String modelVersion, String status, double absError, double naiveAbsError) {}

    private static final String CHAMPION = "v1";
    private static final String CHALLENGER = "v2";
    private static final Instant T0 = Instant.parse("2021-05-14T00:00:00Z");

    /**
     * Champion errors 2, 3, 1, 4, 2, 5 and challenger errors 1, 2, 2, 1, 1, 2 on six common targets (naive error 2
     * on each); the challenger also has a target before them and the champion one after, neither common.
     */
    private static List<Loss> handSeed() {
        double[] champion = {2, 3, 1, 4, 2, 5};
        double[] challenger = {1, 2, 2, 1, 1, 2};
        List<Loss> rows = new ArrayList<>();
        rows.add(loss(0, CHALLENGER, "challenger", 9));
        for (int i = 0; i < 6; i++) {
            rows.add(loss(i + 1, CHAMPION, "champion", champion[i]));
            rows.add(loss(i + 1, CHALLENGER, "challenger", challenger[i]));
        }
        rows.add(loss(7, CHAMPION, "champion", 9));
        return rows;
    }

    @Test
    void comparesOnlyTheTargetsEveryVersionPredicted() {
        VersionComparison c = compare(handSeed());

        assertThat(c.champion()).isEqualTo(CHAMPION);
        assertThat(c.commonTargets()).isEqualTo(6);
        assertThat(c.firstTargetTime()).isEqualTo(T0.plusSeconds(60));
        assertThat(c.lastTargetTime()).isEqualTo(T0.plusSeconds(6 * 60));
        // Champion first: MAE 17/6 over naive MAE 2; challenger 9/6.
        assertThat(c.models()).hasSize(2);
        CommonTargetMetrics champion = c.models().get(0);
        CommonTargetMetrics challenger = c.models().get(1);
        assertThat(champion.modelVersion()).isEqualTo(CHAMPION);
        assertThat(champion.champion()).isTrue();
        assertThat(champion.mae()).isCloseTo(17.0 / 6, within(1e-12));
        assertThat(champion.naiveMae()).isEqualTo(2.0);
        assertThat(champion.mase()).isCloseTo(17.0 / 12, within(1e-12));
        assertThat(challenger.champion()).isFalse();
        assertThat(challenger.mae()).isCloseTo(1.5, within(1e-12));
        assertThat(challenger.mase()).isCloseTo(0.75, within(1e-12));
    }

    /**
     * d = -1, -1, 1, -3, -1, -3: mean -4/3; n = 6 gives floor(4 (0.06)^(2/9)) = 2 lags; autocovariances (divided by
     * n) 17/9, -37/54 and 17/27; Bartlett weights 2/3 and 1/3; long-run variance 17/9 - 74/81 + 34/81 = 113/81; DM =
     * (-4/3) / sqrt(113/81 / 6) = -2.7651; two-sided p = 0.00569.
     */
    @Test
    void dieboldMarianoMatchesTheHandComputation() {
        ChallengerTest t = compare(handSeed()).tests().get(0);

        assertThat(t.challenger()).isEqualTo(CHALLENGER);
        assertThat(t.champion()).isEqualTo(CHAMPION);
        assertThat(t.n()).isEqualTo(6);
        assertThat(t.lags()).isEqualTo(2);
        assertThat(t.meanLossDifference()).isCloseTo(-4.0 / 3, within(1e-12));
        assertThat(t.statistic()).isCloseTo(-4.0 / 3 / Math.sqrt(113.0 / 81 / 6), within(1e-12));
        assertThat(t.statistic()).isCloseTo(-2.7651, within(1e-4));
        assertThat(t.pValue()).isCloseTo(0.00569, within(1e-5));
        assertThat(t.verdict()).isEqualTo("challenger-better");
        assertThat(t.reading()).isEqualTo("challenger better at 5 %");
    }

    @Test
    void aWorseChallengerIsReadAsTheChampionBeingBetter() {
        List<Loss> swapped = handSeed().stream()
                .map(l -> new Loss(
                        l.target(),
                        l.modelVersion(),
                        l.modelVersion().equals(CHAMPION) ? "challenger" : "champion",
                        l.absError(),
                        l.naiveAbsError()))
                .toList();

        ChallengerTest t = compare(swapped).tests().get(0);

        assertThat(t.challenger()).isEqualTo(CHAMPION);
        assertThat(t.statistic()).isCloseTo(2.7651, within(1e-4));
        assertThat(t.verdict()).isEqualTo("champion-better");
        assertThat(t.reading()).isEqualTo("champion better at 5 %");
    }

    @Test
    void aSmallDifferenceIsNotSignificant() {
        List<Loss> rows = new ArrayList<>();
        double[] d = {0.5, -0.5, 0.25, -0.5, 0.5, -0.25, 0.1};
        for (int i = 0; i < d.length; i++) {
            rows.add(loss(i, CHAMPION, "champion", 2));
            rows.add(loss(i, CHALLENGER, "challenger", 2 + d[i]));
        }

        ChallengerTest t = compare(rows).tests().get(0);

        assertThat(t.pValue()).isGreaterThan(0.05);
        assertThat(t.verdict()).isEqualTo("no-significant-difference");
        assertThat(t.reading()).isEqualTo("no significant difference at 5 %");
    }

    @Test
    void identicalErrorsOrTooFewTargetsCannotBeTested() {
        List<Loss> same = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            same.add(loss(i, CHAMPION, "champion", 1 + i));
            same.add(loss(i, CHALLENGER, "challenger", 1 + i));
        }
        List<Loss> one = List.of(loss(0, CHAMPION, "champion", 1), loss(0, CHALLENGER, "challenger", 2));

        ChallengerTest identical = compare(same).tests().get(0);
        ChallengerTest single = compare(one).tests().get(0);

        assertThat(identical.statistic()).isNull();
        assertThat(identical.pValue()).isNull();
        assertThat(identical.meanLossDifference()).isEqualTo(0.0);
        assertThat(identical.verdict()).isEqualTo("not-testable");
        assertThat(identical.reading()).isEqualTo("not testable: the same errors on every common target");
        assertThat(single.n()).isEqualTo(1);
        assertThat(single.statistic()).isNull();
        assertThat(single.reading()).isEqualTo("not testable: fewer than 2 common resolved targets");
    }

    @Test
    void withoutTheChampionThereIsNothingToTestAgainst() {
        List<Loss> rows = List.of(
                loss(0, "v2", "challenger", 1),
                loss(0, "v3", "challenger", 2),
                loss(1, "v2", "challenger", 1),
                loss(1, "v3", "challenger", 3));

        VersionComparison c = compare(rows);

        assertThat(c.champion()).isNull();
        assertThat(c.commonTargets()).isEqualTo(2);
        assertThat(c.models()).extracting(CommonTargetMetrics::modelVersion).containsExactly("v2", "v3");
        assertThat(c.tests()).isEmpty();
    }

    @Test
    void nothingResolvedGivesAnEmptyComparison() {
        VersionComparison c = compare(List.of());

        assertThat(c.commonTargets()).isZero();
        assertThat(c.models()).isEmpty();
        assertThat(c.tests()).isEmpty();
        assertThat(c.firstTargetTime()).isNull();
    }

    @Test
    void threeVersionsAreComparedOnTheTargetsAllOfThemPredicted() {
        // v3 misses the first two of the hand seed's six common targets, so four remain: errors from the third on.
        List<Loss> rows = new ArrayList<>(handSeed());
        double[] third = {0, 0, 3, 3, 2, 6};
        for (int i = 2; i < 6; i++) {
            rows.add(loss(i + 1, "v3", "challenger", third[i]));
        }

        VersionComparison c = compare(rows);

        assertThat(c.commonTargets()).isEqualTo(4);
        assertThat(c.firstTargetTime()).isEqualTo(T0.plusSeconds(3 * 60));
        assertThat(c.models())
                .extracting(CommonTargetMetrics::modelVersion)
                .containsExactly(CHAMPION, CHALLENGER, "v3");
        // Champion 1, 4, 2, 5; challenger 2, 1, 1, 2; v3 3, 3, 2, 6.
        assertThat(c.models()).extracting(CommonTargetMetrics::mae).containsExactly(3.0, 1.5, 3.5);
        assertThat(c.tests()).extracting(ChallengerTest::challenger).containsExactly(CHALLENGER, "v3");
        assertThat(c.tests()).allSatisfy(t -> assertThat(t.n()).isEqualTo(4));
        assertThat(c.tests().get(0).meanLossDifference()).isCloseTo(-1.5, within(1e-12));
        assertThat(c.tests().get(1).meanLossDifference()).isCloseTo(0.5, within(1e-12));
    }

    private static Loss loss(int minute, String version, String status, double absError) {
        return new Loss(T0.plusSeconds(60L * minute), version, status, absError, 2);
    }

    /**
     * The rows' comparison as the API makes it: each version after the anchor (the champion, else the first) as a
     * pair with the anchor, on the targets that every version predicted.
     */
    private static VersionComparison compare(List<Loss> rows) {
        if (rows.isEmpty()) {
            return VersionComparisons.none();
        }
        Map<String, String> statuses = new TreeMap<>();
        Map<Instant, Map<String, Loss>> byTarget = new TreeMap<>();
        for (Loss l : rows) {
            statuses.put(l.modelVersion(), l.status());
            byTarget.computeIfAbsent(l.target(), t -> new HashMap<>()).put(l.modelVersion(), l);
        }
        String anchor = statuses.keySet().stream()
                .filter(v -> VersionComparisons.CHAMPION.equals(statuses.get(v)))
                .findFirst()
                .orElse(statuses.keySet().iterator().next());
        List<String> others =
                statuses.keySet().stream().filter(v -> !v.equals(anchor)).toList();
        List<PairWindow> windows = new ArrayList<>();
        for (String other : others) {
            List<PairWindow.Target> common = new ArrayList<>();
            byTarget.forEach((t, at) -> {
                if (at.size() == statuses.size()) {
                    Loss a = at.get(anchor);
                    Loss b = at.get(other);
                    common.add(new PairWindow.Target(
                            t,
                            a.absError() - b.absError(),
                            a.absError(),
                            b.absError(),
                            a.naiveAbsError(),
                            b.naiveAbsError()));
                }
            });
            windows.add(PairWindow.of(common, null, new double[0], List.of()));
        }
        return VersionComparisons.ofMany(
                metrics(anchor, statuses.get(anchor)),
                others.stream().map(v -> metrics(v, statuses.get(v))).toList(),
                windows);
    }

    /** A version's metrics as far as the comparison reads them: its name and status. */
    private static ModelMetrics metrics(String version, String status) {
        WilsonInterval none = WilsonInterval.of(0, 0);
        return new ModelMetrics(
                version,
                status,
                VersionComparisons.CHAMPION.equals(status),
                1,
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                none,
                none,
                null,
                null,
                null,
                null);
    }
}
