package io.chronoprice.api.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The champion-vs-challenger comparison of {@code /metrics/model}, recomputed in the test straight from the textbook
 * definitions, without SQL and without chronoprice-stats: the common resolved targets, each version's MAE and MASE
 * on them, and the Diebold-Mariano statistic of the absolute-error loss differences with a Newey-West (Bartlett)
 * variance written out here, its p-value from a numerically integrated normal density.
 */
public record ExpectedComparison(List<Instant> commonTargets, Map<String, Version> versions, Test test) {

    /** One version on the common targets. */
    public record Version(double mae, double naiveMae, double mase) {}

    /** The challenger against the champion: d_t = |e_challenger| - |e_champion|. */
    public record Test(double[] d, double meanDifference, int lags, double variance, double statistic, double pValue) {}

    /**
     * @param rows the predictions of the compared versions that lie in the window
     * @param actuals the actual close of a prediction's target, when it exists
     */
    public static ExpectedComparison of(
            List<SeedData.Prediction> rows,
            Function<SeedData.Prediction, Optional<Double>> actuals,
            String champion,
            String challenger) {
        List<SeedData.Prediction> resolved =
                rows.stream().filter(p -> actuals.apply(p).isPresent()).toList();
        Set<String> versions =
                resolved.stream().map(SeedData.Prediction::modelVersion).collect(Collectors.toSet());
        // A target counts only if every compared version has a resolved prediction for it.
        List<Instant> common = new ArrayList<>(new TreeSet<>(resolved.stream()
                .map(SeedData.Prediction::target)
                .filter(t -> resolved.stream().filter(p -> p.target().equals(t)).count() == versions.size())
                .toList()));
        common.sort(Comparator.naturalOrder());
        Map<String, Version> metrics = versions.stream().collect(Collectors.toMap(v -> v, v -> {
            double abs = 0;
            double naive = 0;
            for (Instant t : common) {
                SeedData.Prediction p = find(resolved, v, t);
                double y = actuals.apply(p).orElseThrow();
                abs += Math.abs(p.predicted() - y);
                naive += Math.abs(p.naive() - y);
            }
            return new Version(abs / common.size(), naive / common.size(), abs / naive);
        }));
        Test test = null;
        if (versions.contains(champion) && versions.contains(challenger)) {
            double[] d = new double[common.size()];
            for (int i = 0; i < d.length; i++) {
                SeedData.Prediction c = find(resolved, challenger, common.get(i));
                SeedData.Prediction h = find(resolved, champion, common.get(i));
                double y = actuals.apply(c).orElseThrow();
                d[i] = Math.abs(c.predicted() - y) - Math.abs(h.predicted() - y);
            }
            test = dieboldMariano(d);
        }
        return new ExpectedComparison(common, metrics, test);
    }

    /** The DM test: mean(d) / sqrt(long-run variance / n), Bartlett weights 1 - k / (L + 1) up to L lags. */
    public static Test dieboldMariano(double[] d) {
        int n = d.length;
        double mean = 0;
        for (double v : d) {
            mean += v / n;
        }
        int lags = (int) Math.floor(4 * Math.pow(n / 100.0, 2.0 / 9.0));
        double variance = gamma(d, mean, 0);
        for (int k = 1; k <= lags; k++) {
            variance += 2 * (1 - k / (lags + 1.0)) * gamma(d, mean, k);
        }
        double statistic = mean / Math.sqrt(variance / n);
        double pValue = 2 * (0.5 - normalMass(Math.abs(statistic)));
        return new Test(d, mean, lags, variance, statistic, pValue);
    }

    /** The sample autocovariance at lag k, divided by n as in Newey and West (1987). */
    private static double gamma(double[] d, double mean, int k) {
        double sum = 0;
        for (int t = k; t < d.length; t++) {
            sum += (d[t] - mean) * (d[t - k] - mean);
        }
        return sum / d.length;
    }

    /** P(0 < Z < z) for the standard normal: Simpson's rule on its density, 20 000 intervals. */
    private static double normalMass(double z) {
        int steps = 20_000;
        double h = z / steps;
        double sum = density(0) + density(z);
        for (int i = 1; i < steps; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return sum * h / 3;
    }

    private static double density(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    private static SeedData.Prediction find(List<SeedData.Prediction> rows, String version, Instant target) {
        return rows.stream()
                .filter(p -> p.modelVersion().equals(version) && p.target().equals(target))
                .findFirst()
                .orElseThrow();
    }
}
