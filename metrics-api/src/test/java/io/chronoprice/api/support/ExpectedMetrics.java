package io.chronoprice.api.support;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every metric of {@code /metrics/model}, recomputed in plain Java from seeded rows, straight from the definitions
 * and without SQL: what the API's one aggregate over {@code prediction_outcomes} must agree with. Null where the
 * metric has no rows.
 */
public record ExpectedMetrics(
        long predictions,
        long resolved,
        Double mae,
        Double rmse,
        Double mapePercent,
        Double naiveMae,
        Double mase,
        Counts direction,
        Counts coverage,
        Double winklerBps,
        Double meanGuardWeight,
        long rawResolved,
        Double rawMae,
        Double rawNaiveMae,
        Double rawMase,
        Counts rawDirection,
        Counts rawCoverage,
        Double rawWinklerBps,
        Counts rollingCoverage,
        Double rollingWinklerBps,
        Counts ewmaCoverage,
        Double ewmaWinklerBps) {

    /** The 0.9 quantile of the standard normal as the baselines' intervals use it: naive x exp(+/-z sigma). */
    public static final double Z80 = 1.2816;

    /** Hits out of a total, e.g. actual closes inside an interval out of resolved rows with that interval. */
    public record Counts(long hits, long total) {}

    /**
     * The Winkler score of an 80 % interval (alpha 0.2): its width, plus 2 / alpha = 10 times the distance by which
     * the actual fell outside it.
     */
    public static double winkler(double lower, double upper, double actual) {
        double below = Math.max(lower - actual, 0);
        double above = Math.max(actual - upper, 0);
        return (upper - lower) + 10 * below + 10 * above;
    }

    /** The Winkler score in basis points of the actual close. */
    public static double winklerBps(double lower, double upper, double actual) {
        return winkler(lower, upper, actual) / actual * 10_000;
    }

    /** Whether a forecast made a directional call that was right; null when it made none or nothing moved. */
    public static Boolean directionHit(double forecast, double naive, double actual) {
        if (actual == naive || forecast == naive) {
            return null;
        }
        return Math.signum(forecast - naive) == Math.signum(actual - naive);
    }

    public static ExpectedMetrics of(
            List<SeedData.Prediction> rows, Function<SeedData.Prediction, Optional<Double>> actuals) {
        Tally served = new Tally();
        Tally raw = new Tally();
        Interval rolling = new Interval();
        Interval ewma = new Interval();
        double sqSum = 0;
        double pctSum = 0;
        double weightSum = 0;
        long weights = 0;
        for (SeedData.Prediction p : rows) {
            Optional<Double> known = actuals.apply(p);
            if (known.isEmpty()) {
                continue;
            }
            double y = known.get();
            served.add(p.predicted(), p.lower(), p.upper(), p.naive(), y);
            sqSum += (p.predicted() - y) * (p.predicted() - y);
            pctSum += Math.abs(p.predicted() - y) / y;
            SeedData.Online o = p.online();
            if (o != null) {
                raw.add(o.rawPredicted(), o.rawLower(), o.rawUpper(), p.naive(), y);
                weightSum += o.guardWeight();
                weights++;
                rolling.add(
                        p.naive() * Math.exp(-Z80 * o.rollingSigma()), p.naive() * Math.exp(Z80 * o.rollingSigma()), y);
                ewma.add(p.naive() * Math.exp(-Z80 * o.ewmaSigma()), p.naive() * Math.exp(Z80 * o.ewmaSigma()), y);
            }
        }
        long n = served.rows;
        return new ExpectedMetrics(
                rows.size(),
                n,
                served.mae(),
                n == 0 ? null : Math.sqrt(sqSum / n),
                n == 0 ? null : 100 * pctSum / n,
                served.naiveMae(),
                served.mase(),
                new Counts(served.directionHits, served.directionTotal),
                served.interval.counts(),
                served.interval.meanBps(),
                weights == 0 ? null : weightSum / weights,
                raw.rows,
                raw.mae(),
                raw.naiveMae(),
                raw.mase(),
                new Counts(raw.directionHits, raw.directionTotal),
                raw.interval.counts(),
                raw.interval.meanBps(),
                rolling.counts(),
                rolling.meanBps(),
                ewma.counts(),
                ewma.meanBps());
    }

    /** Point and interval accuracy of one forecast (served or raw) on the rows that have it. */
    private static final class Tally {
        long rows;
        double absSum;
        double naiveAbsSum;
        long directionHits;
        long directionTotal;
        final Interval interval = new Interval();

        void add(double forecast, double lower, double upper, double naive, double actual) {
            rows++;
            absSum += Math.abs(forecast - actual);
            naiveAbsSum += Math.abs(naive - actual);
            Boolean hit = directionHit(forecast, naive, actual);
            if (hit != null) {
                directionTotal++;
                directionHits += hit ? 1 : 0;
            }
            interval.add(lower, upper, actual);
        }

        Double mae() {
            return rows == 0 ? null : absSum / rows;
        }

        Double naiveMae() {
            return rows == 0 ? null : naiveAbsSum / rows;
        }

        Double mase() {
            return rows == 0 || naiveAbsSum == 0 ? null : absSum / naiveAbsSum;
        }
    }

    /** Coverage and mean Winkler score (bps) of an interval. */
    private static final class Interval {
        long rows;
        long covered;
        double bpsSum;

        void add(double lower, double upper, double actual) {
            rows++;
            covered += lower <= actual && actual <= upper ? 1 : 0;
            bpsSum += winklerBps(lower, upper, actual);
        }

        Counts counts() {
            return new Counts(covered, rows);
        }

        Double meanBps() {
            return rows == 0 ? null : bpsSum / rows;
        }
    }
}
