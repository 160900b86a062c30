package io.chronoprice.api.metrics;

import io.chronoprice.common.stats.DieboldMariano;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two versions a < b of a series on the resolved targets of a window that both predicted, as the sums the
 * comparison needs: the count, each version's absolute and naive absolute errors, and of the loss differences
 * {@code d_t = |e_a,t| - |e_b,t|} their lagged products up to {@link DieboldMariano#MAX_LAGS} and their first and
 * last values. {@link #of(String, List, List)} puts them together from {@code common_target_parts()} (migrations
 * V10 to V14).
 *
 * @param lagProducts {@code lagProducts[k]} = sum over the window of {@code d_t * d_(t-k)}, both in the window
 */
record PairWindow(
        long targets,
        double sumAbsErrorA,
        double sumAbsErrorB,
        double sumNaiveAbsErrorA,
        double sumNaiveAbsErrorB,
        @Nullable Instant firstTarget,
        @Nullable Instant lastTarget,
        double[] lagProducts,
        double[] head,
        double[] tail) {

    private static final int LAGS = DieboldMariano.MAX_LAGS;

    /** One common target, read from the rows. */
    record Target(Instant time, double d, double absErrorA, double absErrorB, double naiveA, double naiveB) {}

    /**
     * The window's whole clean hours, from the prefix sums: their count, sums and first and last target,
     * {@code lagProducts} over their targets with partners anywhere before, {@code before} the last values of d
     * before them (those partners), and {@code tail} their own last values.
     */
    record Clean(
            long targets,
            double sumAbsErrorA,
            double sumAbsErrorB,
            double sumNaiveAbsErrorA,
            double sumNaiveAbsErrorB,
            Instant firstTarget,
            Instant lastTarget,
            double[] lagProducts,
            double[] before,
            double[] tail) {}

    /**
     * Per other version, the window of the pair (anchor, other) with the anchor as a, from the rows of
     * {@link MetricsRepository#COMMON_PARTS} in the order the database returns them; a pair without rows has no
     * common target.
     */
    static List<PairWindow> of(String anchor, List<String> others, List<MetricsRepository.PairPart> parts) {
        return others.stream()
                .map(other -> {
                    List<MetricsRepository.PairPart> pair = parts.stream()
                            .filter(p ->
                                    p.versionA().equals(other) || p.versionB().equals(other))
                            .toList();
                    // The database keeps a pair in its collation's order, whichever of the two is the anchor.
                    PairWindow w = of(pair);
                    return pair.isEmpty() || pair.get(0).versionA().equals(anchor) ? w : w.swapped();
                })
                .toList();
    }

    /** The window of one pair from its rows of {@link MetricsRepository#COMMON_PARTS}, in the database's order. */
    static PairWindow of(List<MetricsRepository.PairPart> parts) {
        List<Target> front = new ArrayList<>();
        List<Target> back = new ArrayList<>();
        List<Double> head = new ArrayList<>();
        Clean clean = null;
        for (MetricsRepository.PairPart part : parts) {
            switch (part.part()) {
                case "front" -> front.add(part.target());
                case "head" -> head.add(part.d());
                case "clean" -> clean = part.clean();
                case "back" -> back.add(part.target());
                default -> throw new IllegalStateException("unknown part " + part.part());
            }
        }
        return of(front, clean, head.stream().mapToDouble(Double::doubleValue).toArray(), back);
    }

    /**
     * The window as the sequence {@code front}, then the clean hours (when there are any), then {@code back}.
     *
     * @param head the clean hours' first values of d; with {@code clean}, it must hold at least
     *     {@link DieboldMariano#MAX_LAGS}, and the clean hours more than twice that
     */
    static PairWindow of(List<Target> front, @Nullable Clean clean, double[] head, List<Target> back) {
        if (clean == null) {
            List<Target> all = new ArrayList<>(front);
            all.addAll(back);
            double[] d = all.stream().mapToDouble(Target::d).toArray();
            return Totals.NONE.plus(all).window(products(d), first(d), last(d), timeOf(all, true), timeOf(all, false));
        }
        if (head.length < LAGS || clean.targets() <= 2L * LAGS) {
            throw new IllegalArgumentException("the clean part needs more than " + 2 * LAGS + " targets");
        }
        double[] frontD = front.stream().mapToDouble(Target::d).toArray();
        double[] backD = back.stream().mapToDouble(Target::d).toArray();
        double[] frontSeq = concat(frontD, head);
        double[] backSeq = concat(clean.tail(), backD);
        double[] frontProducts = products(frontSeq);
        double[] headProducts = products(head);
        double[] backProducts = products(backSeq);
        double[] tailProducts = products(clean.tail());
        double[] before = clean.before();
        double[] lagProducts = new double[LAGS + 1];
        for (int k = 0; k <= LAGS; k++) {
            // The clean sums pair their first k targets with the k values before them: outside the clean part.
            double reachingBack = 0;
            for (int m = 0; m < k; m++) {
                int partner = before.length - k + m;
                if (partner >= 0) {
                    reachingBack += head[m] * before[partner];
                }
            }
            lagProducts[k] = clean.lagProducts()[k]
                    - reachingBack
                    + frontProducts[k]
                    - headProducts[k]
                    + backProducts[k]
                    - tailProducts[k];
        }
        Totals totals = new Totals(
                        clean.targets(),
                        clean.sumAbsErrorA(),
                        clean.sumAbsErrorB(),
                        clean.sumNaiveAbsErrorA(),
                        clean.sumNaiveAbsErrorB())
                .plus(front)
                .plus(back);
        return totals.window(
                lagProducts,
                first(frontSeq),
                last(backSeq),
                front.isEmpty() ? clean.firstTarget() : front.get(0).time(),
                back.isEmpty() ? clean.lastTarget() : back.get(back.size() - 1).time());
    }

    /**
     * The same window with b as a and a as b: d changes sign, so its ends do, while its lagged products do not.
     */
    PairWindow swapped() {
        return new PairWindow(
                targets,
                sumAbsErrorB,
                sumAbsErrorA,
                sumNaiveAbsErrorB,
                sumNaiveAbsErrorA,
                firstTarget,
                lastTarget,
                lagProducts,
                scaled(head, -1),
                scaled(tail, -1));
    }

    /** The Diebold-Mariano test of {@code d} (a minus b), or of b minus a when {@code bMinusA}. */
    DieboldMariano.Result test(boolean bMinusA) {
        double sign = bMinusA ? -1 : 1;
        double sum = sign * (sumAbsErrorA - sumAbsErrorB);
        return DieboldMariano.fromSums(targets, sum, lagProducts, scaled(head, sign), scaled(tail, sign));
    }

    /** The count and the error sums of the common targets, added up part by part. */
    private record Totals(long targets, double absA, double absB, double naiveA, double naiveB) {

        static final Totals NONE = new Totals(0, 0, 0, 0, 0);

        Totals plus(List<Target> rows) {
            double a = absA;
            double b = absB;
            double na = naiveA;
            double nb = naiveB;
            for (Target t : rows) {
                a += t.absErrorA();
                b += t.absErrorB();
                na += t.naiveA();
                nb += t.naiveB();
            }
            return new Totals(targets + rows.size(), a, b, na, nb);
        }

        PairWindow window(
                double[] lagProducts,
                double[] head,
                double[] tail,
                @Nullable Instant firstTarget,
                @Nullable Instant lastTarget) {
            return new PairWindow(
                    targets, absA, absB, naiveA, naiveB, firstTarget, lastTarget, lagProducts, head, tail);
        }
    }

    /** {@code [k]} = sum over t >= k of {@code d[t] * d[t - k]}, k = 0..MAX_LAGS. */
    static double[] products(double[] d) {
        double[] p = new double[LAGS + 1];
        for (int k = 0; k <= LAGS; k++) {
            for (int t = k; t < d.length; t++) {
                p[k] += d[t] * d[t - k];
            }
        }
        return p;
    }

    private static double[] first(double[] d) {
        return Arrays.copyOfRange(d, 0, Math.min(d.length, LAGS));
    }

    private static double[] last(double[] d) {
        return Arrays.copyOfRange(d, Math.max(0, d.length - LAGS), d.length);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] scaled(double[] d, double sign) {
        return Arrays.stream(d).map(v -> sign * v).toArray();
    }

    @Nullable
    private static Instant timeOf(List<Target> rows, boolean first) {
        return rows.isEmpty() ? null : rows.get(first ? 0 : rows.size() - 1).time();
    }
}
