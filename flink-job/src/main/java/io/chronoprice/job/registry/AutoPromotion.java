package io.chronoprice.job.registry;

import io.chronoprice.common.stats.DieboldMariano;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic promotion rule (off unless the job is started with it): a challenger becomes the champion when,
 * on at least {@code minPredictions} targets both resolved, its absolute errors are smaller than the champion's
 * and the Diebold-Mariano test says so at {@code alpha}. Errors are taken relative to the actual close, so that
 * every symbol of the series weighs alike; the test's autocovariances stay within each symbol. Every promotion it
 * makes is logged and recorded in {@code model_events} with its figures.
 */
public class AutoPromotion implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoPromotion.class);

    static final String ACTOR = "auto-promotion";

    /** Loss differences d = challenger - champion per symbol, in time order, on the targets both resolved. */
    static final String PAIRED_ERRORS = """
            SELECT c.symbol, c.abs_pct_error - h.abs_pct_error
            FROM prediction_outcomes c
            JOIN prediction_outcomes h
              ON h.exchange = c.exchange AND h.symbol = c.symbol AND h.interval = c.interval
             AND h.target_open_time = c.target_open_time AND h.model_version = ?
            WHERE c.exchange = ? AND c.interval = ? AND c.model_version = ?
              AND c.actual_close IS NOT NULL
            ORDER BY c.symbol, c.target_open_time
            """;

    private final String exchange;
    private final long minPredictions;
    private final double alpha;
    private final long checkEveryMs;

    private transient long lastRunMs;

    public AutoPromotion(String exchange, long minPredictions, double alpha, Duration checkEvery) {
        if (minPredictions < 2) {
            throw new IllegalArgumentException(
                    "automatic promotion needs at least 2 predictions, got " + minPredictions);
        }
        this.exchange = exchange;
        this.minPredictions = minPredictions;
        this.alpha = alpha;
        this.checkEveryMs = checkEvery.toMillis();
    }

    /** What the rule found for one challenger. */
    record Verdict(String challenger, String champion, DieboldMariano.Result test, boolean promote) {}

    void runIfDue(ModelRegistry registry, String interval) {
        long now = System.currentTimeMillis();
        if (now - lastRunMs < checkEveryMs) {
            return;
        }
        lastRunMs = now;
        try {
            run(registry, interval);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Automatic promotion skipped this round: {}", e.getMessage());
        }
    }

    /** Evaluates every challenger against the champion and promotes the most clearly better one, if any. */
    List<Verdict> run(ModelRegistry registry, String interval) throws SQLException {
        List<ModelRegistry.Entry> entries = registry.list().stream()
                .filter(e -> e.interval().equals(interval))
                .toList();
        String champion = entries.stream()
                .filter(e -> e.status() == ModelStatus.CHAMPION)
                .map(ModelRegistry.Entry::version)
                .findFirst()
                .orElse(null);
        List<Verdict> verdicts = new ArrayList<>();
        if (champion == null) {
            return verdicts;
        }
        try (Connection c = registry.connect()) {
            for (ModelRegistry.Entry e : entries) {
                if (e.status() == ModelStatus.CHALLENGER) {
                    DieboldMariano.Result test =
                            DieboldMariano.test(lossDifferences(c, interval, e.version(), champion));
                    verdicts.add(new Verdict(
                            e.version(), champion, test, test.n() >= minPredictions && test.aBetterAt(alpha)));
                }
            }
        }
        verdicts.stream()
                .filter(Verdict::promote)
                .min((a, b) -> Double.compare(a.test().statistic(), b.test().statistic()))
                .ifPresent(best -> promote(registry, best));
        return verdicts;
    }

    private void promote(ModelRegistry registry, Verdict v) {
        String reason = String.format(
                Locale.ROOT,
                "Diebold-Mariano on %d targets: mean relative absolute error difference %.3g, statistic %.3f,"
                        + " p %.4g < %s",
                v.test().n(),
                v.test().meanDifference(),
                v.test().statistic(),
                v.test().pValue(),
                alpha);
        try {
            registry.promote(v.challenger(), ACTOR, reason);
            LOG.info("Automatic promotion: {} replaces {} as champion ({})", v.challenger(), v.champion(), reason);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Automatic promotion of {} failed: {}", v.challenger(), e.getMessage());
        }
    }

    private List<double[]> lossDifferences(Connection c, String interval, String challenger, String champion)
            throws SQLException {
        List<double[]> series = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PAIRED_ERRORS)) {
            ps.setString(1, champion);
            ps.setString(2, exchange);
            ps.setString(3, interval);
            ps.setString(4, challenger);
            try (ResultSet rs = ps.executeQuery()) {
                String symbol = null;
                List<Double> current = new ArrayList<>();
                while (rs.next()) {
                    if (!rs.getString(1).equals(symbol)) {
                        add(series, current);
                        current = new ArrayList<>();
                        symbol = rs.getString(1);
                    }
                    current.add(rs.getDouble(2));
                }
                add(series, current);
            }
        }
        return series;
    }

    private static void add(List<double[]> series, List<Double> values) {
        if (!values.isEmpty()) {
            series.add(values.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
