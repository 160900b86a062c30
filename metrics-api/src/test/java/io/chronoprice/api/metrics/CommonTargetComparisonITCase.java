package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.ExpectedComparison;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.common.stats.DieboldMariano;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three scored versions compared from migration V11's {@code common_target_parts()} give the numbers of the textbook
 * computation on the rows ({@link ExpectedComparison}) on the targets all three predicted, for every window, with
 * current sums, with none and with a change not refreshed yet; and once the sums are current, the rows read are those of the hours around the
 * newest version's start, not the window's. The series is the seeded real BTCUSDT candles with the champion's
 * forecasts, a challenger's on every target but every 17th of the first fifth, and a third version's that starts
 * there and misses every 5th target in its first 90 ({@link #LATE}); {@link #HOLED} is the same with 30 targets
 * missing at half the series, which leaves the hours before them to the rows. An hour can be read from the sums only
 * when every version predicted the same targets in it, as the job's versions do: it scores each window with all of
 * them. Filed under a backtest run's name so nothing else reads them; {@link #LATE} is registered as a challenger
 * for the API's part.
 */
@MicronautTest(transactional = false)
class CommonTargetComparisonITCase extends ApiITCaseSupport {

    private static final String EXCHANGE = "binance@common-test";
    private static final String SYMBOL = "BTCUSDT";
    private static final String CHAMPION = SeedData.MODEL_1;
    private static final String CHALLENGER = SeedData.MODEL_2;
    private static final String LATE = "lstm-test-late";
    private static final String HOLED = "lstm-test-holed";

    @Inject
    @Client("/")
    HttpClient http;

    private static SeedData seed;
    private static final Map<Instant, Double> closes = new HashMap<>();
    private static final Map<String, Map<Instant, SeedData.Prediction>> byVersion = new HashMap<>();

    @BeforeAll
    static void copySeries() throws SQLException {
        seed = TestDatabase.seed();
        List<SeedData.Candle> candles = seed.candles(SYMBOL);
        for (String v : List.of(CHAMPION, CHALLENGER, LATE, HOLED)) {
            byVersion.put(v, new HashMap<>());
        }
        int n = candles.size();
        int lateStart = n / 5;
        int holeStart = n / 2;
        try (Connection c = TestDatabase.writer()) {
            c.setAutoCommit(false);
            for (SeedData.Candle candle : candles) {
                TestDatabase.insertCandle(c, EXCHANGE, candle);
                closes.put(candle.openTime(), candle.close());
            }
            for (SeedData.Prediction p : seed.predictions(SYMBOL)) {
                if (p.modelVersion().equals(CHAMPION)) {
                    insert(c, p);
                }
            }
            for (int i = 1; i <= n; i++) {
                SeedData.Prediction challenger = SeedData.challenger(candles, i);
                if (i >= lateStart || i % 17 != 0) {
                    insert(c, challenger);
                }
                boolean started = i >= lateStart && (i >= lateStart + 90 || i % 5 != 0);
                if (started) {
                    insert(c, renamed(challenger, LATE, 0.0004 * Math.sin(0.7 * i)));
                    if (i < holeStart || i >= holeStart + 30) {
                        insert(c, renamed(challenger, HOLED, -0.0003 * Math.cos(1.3 * i)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO models (model_version, created_at, interval,"
                    + " window_size, feature_names, quantiles, training_from, training_to, eval_metrics,"
                    + " artifact_sha256, artifact, status, status_changed_at, registered_at)"
                    + " SELECT ?, created_at, interval, window_size, feature_names, quantiles, training_from,"
                    + " training_to, eval_metrics, artifact_sha256, artifact, 'challenger', now(), now()"
                    + " FROM models WHERE model_version = ?")) {
                ps.setString(1, LATE);
                ps.setString(2, CHALLENGER);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            c.commit();
            // As autovacuum does in production: without statistics the planner takes any partition for empty.
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE predictions, candles");
            }
        }
    }

    @AfterAll
    static void removeTheCopy() throws SQLException {
        TestDatabase.deleteExchange(EXCHANGE);
        try (Connection c = TestDatabase.writer();
                PreparedStatement ps = c.prepareStatement("DELETE FROM models WHERE model_version = ?")) {
            ps.setString(1, LATE);
            ps.executeUpdate();
        }
    }

    @Test
    void theApiComparesThreeScoredVersionsOnTheTargetsAllOfThemPredicted() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.refreshAccuracy(c);
        }
        MetricsReport report = http.toBlocking()
                .retrieve(
                        "/metrics/model?exchange=" + EXCHANGE + "&symbol=" + SYMBOL + "&window=all",
                        MetricsReport.class);

        VersionComparison comparison = report.comparison();
        List<String> versions = List.of(CHAMPION, CHALLENGER, LATE);
        List<Instant> common = common(versions, null);
        assertThat(comparison.champion()).isEqualTo(CHAMPION);
        assertThat(comparison.commonTargets()).isEqualTo(common.size());
        assertThat(comparison.firstTargetTime()).isEqualTo(common.get(0));
        assertThat(comparison.lastTargetTime()).isEqualTo(common.get(common.size() - 1));
        assertThat(comparison.models())
                .extracting(CommonTargetMetrics::modelVersion)
                .containsExactlyElementsOf(versions);
        for (CommonTargetMetrics m : comparison.models()) {
            double mae = common.stream()
                    .mapToDouble(
                            t -> Math.abs(byVersion.get(m.modelVersion()).get(t).predicted() - closes.get(t)))
                    .average()
                    .orElseThrow();
            assertThat(m.mae()).as(m.modelVersion()).isCloseTo(mae, within(1e-9 * mae));
        }
        assertThat(comparison.tests()).extracting(ChallengerTest::challenger).containsExactly(CHALLENGER, LATE);
        for (ChallengerTest t : comparison.tests()) {
            ExpectedComparison.Test expected = ExpectedComparison.dieboldMariano(common.stream()
                    .mapToDouble(time ->
                            Math.abs(byVersion.get(t.challenger()).get(time).predicted() - closes.get(time))
                                    - Math.abs(byVersion.get(CHAMPION).get(time).predicted() - closes.get(time)))
                    .toArray());
            assertThat(t.n()).isEqualTo(common.size());
            assertThat(t.statistic()).as(t.challenger()).isCloseTo(expected.statistic(), within(1e-7));
            assertThat(t.pValue()).as(t.challenger()).isCloseTo(expected.pValue(), within(1e-6));
        }
    }

    @Test
    void sumsGiveTheTextbookComparisonOfThreeVersionsForEveryWindow() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.markEveryHourChanged(c, "loss_difference_dirty", EXCHANGE);
            TestDatabase.markEveryHourChanged(c, "accuracy_dirty", EXCHANGE);
            for (String third : List.of(LATE, HOLED)) {
                assertThat(assertEveryWindowAsExpected(c, third))
                        .as("windows read from the sums with every hour changed")
                        .isZero();
            }

            TestDatabase.refreshAccuracy(c);
            assertThat(assertEveryWindowAsExpected(c, LATE))
                    .as("windows read from the sums once refreshed")
                    .isGreaterThan(10);
            // Only the windows that start before the hole's end have more than 128 clean targets after it.
            assertThat(assertEveryWindowAsExpected(c, HOLED))
                    .as("windows read from the sums once refreshed, with a hole")
                    .isPositive();
        }
    }

    @Test
    void aCorrectedCandleInsideTheHistoryIsReadFromTheRowsUntilTheNextRefresh() throws SQLException {
        List<SeedData.Candle> candles = seed.candles(SYMBOL);
        SeedData.Candle late = candles.get(candles.size() * 3 / 4);
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.refreshAccuracy(c);
            TestDatabase.setClose(c, EXCHANGE, late, late.close() * 1.01);
            closes.put(late.openTime(), late.close() * 1.01);
            assertThat(TestDatabase.markers(c, "accuracy_dirty", EXCHANGE)).isPositive();
            assertThat(assertEveryWindowAsExpected(c, LATE)).isPositive();

            TestDatabase.refreshAccuracy(c);
            assertThat(assertEveryWindowAsExpected(c, LATE)).isGreaterThan(10);
        } finally {
            try (Connection c = TestDatabase.writer()) {
                TestDatabase.setClose(c, EXCHANGE, late, late.close());
                closes.put(late.openTime(), late.close());
            }
        }
    }

    @Test
    void onceRefreshedTheWholeHistoryReadsTheRowsOfTheNewestVersionsFirstHoursOnly() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.refreshAccuracy(c);
            List<MetricsRepository.PairPart> parts = parts(c, LATE, null);
            long rows = parts.stream().filter(p -> !p.part().equals("clean")).count();
            assertThat(parts).filteredOn(p -> p.part().equals("clean")).hasSize(2);
            // Per pair: its first 90 targets, which miss every 5th, up to the next whole hour (at most 149), the last
            // hour (60) and the clean hours' head (64), of the about 450 common targets.
            assertThat(rows).isLessThanOrEqualTo(2 * (149 + 60 + 64));
            assertThat(PairWindow.of(CHAMPION, List.of(CHALLENGER, LATE), parts)
                            .get(0)
                            .targets())
                    .isGreaterThan(400);

            // A hole in one version moves the clean hours after it: the rows before it are read, and still exact.
            List<MetricsRepository.PairPart> holed = parts(c, HOLED, null);
            assertThat(holed.stream().filter(p -> !p.part().equals("clean")).count())
                    .isGreaterThan(rows);
        }
    }

    /** Checks every window against the rows; returns how many were read from the sums. */
    private static int assertEveryWindowAsExpected(Connection c, String third) throws SQLException {
        int fromSums = 0;
        List<SeedData.Candle> candles = seed.candles(SYMBOL);
        Instant last = candles.get(candles.size() - 1).openTime();
        List<Instant> starts =
                new ArrayList<>(SeedData.windowStarts(candles.get(0).openTime(), last, 97));
        starts.add(last.minus(3, ChronoUnit.HOURS));
        List<String> versions = List.of(CHAMPION, CHALLENGER, third);
        for (Instant after : starts) {
            List<MetricsRepository.PairPart> parts = parts(c, third, after);
            List<PairWindow> windows = PairWindow.of(CHAMPION, versions.subList(1, 3), parts);
            List<Instant> common = byVersion.get(CHAMPION).keySet().stream()
                    .filter(t -> closes.containsKey(t) && (after == null || t.isAfter(after)))
                    .filter(t ->
                            versions.stream().allMatch(v -> byVersion.get(v).containsKey(t)))
                    .sorted()
                    .toList();
            String where = third + " after " + after;
            for (int o = 0; o < 2; o++) {
                PairWindow got = windows.get(o);
                String other = versions.get(o + 1);
                assertThat(got.targets()).as(where).isEqualTo(common.size());
                if (common.isEmpty()) {
                    continue;
                }
                double[] d = new double[common.size()];
                double absChampion = 0;
                double absOther = 0;
                double naive = 0;
                for (int i = 0; i < d.length; i++) {
                    Instant t = common.get(i);
                    double y = closes.get(t);
                    double ea = Math.abs(byVersion.get(CHAMPION).get(t).predicted() - y);
                    double eb = Math.abs(byVersion.get(other).get(t).predicted() - y);
                    d[i] = eb - ea;
                    absChampion += ea;
                    absOther += eb;
                    naive += Math.abs(byVersion.get(other).get(t).naive() - y);
                }
                assertThat(got.firstTarget()).as(where).isEqualTo(common.get(0));
                assertThat(got.lastTarget()).as(where).isEqualTo(common.get(common.size() - 1));
                assertThat(got.sumAbsErrorA()).as(where).isCloseTo(absChampion, within(1e-9 * absChampion));
                assertThat(got.sumAbsErrorB()).as(where).isCloseTo(absOther, within(1e-9 * absOther));
                assertThat(got.sumNaiveAbsErrorB()).as(where).isCloseTo(naive, within(1e-9 * naive));
                if (d.length >= 2) {
                    // The challenger against the champion, as the API tests it: d = |e_challenger| - |e_champion|.
                    ExpectedComparison.Test expected = ExpectedComparison.dieboldMariano(d);
                    DieboldMariano.Result r = got.test(true);
                    assertThat(r.lags()).as(where).isEqualTo(expected.lags());
                    assertThat(r.meanDifference()).as(where).isCloseTo(expected.meanDifference(), within(1e-9));
                    assertThat(r.statistic()).as(where).isCloseTo(expected.statistic(), within(1e-7));
                    assertThat(r.pValue()).as(where).isCloseTo(expected.pValue(), within(1e-6));
                }
            }
            if (parts.stream().anyMatch(p -> p.part().equals("clean"))) {
                fromSums++;
            }
        }
        return fromSums;
    }

    /** The resolved targets after {@code after} (null: all) that every one of {@code versions} predicted. */
    private static List<Instant> common(List<String> versions, Instant after) {
        return byVersion.get(versions.get(0)).keySet().stream()
                .filter(t -> closes.containsKey(t) && (after == null || t.isAfter(after)))
                .filter(t -> versions.stream().allMatch(v -> byVersion.get(v).containsKey(t)))
                .sorted()
                .toList();
    }

    private static List<MetricsRepository.PairPart> parts(Connection c, String third, Instant after)
            throws SQLException {
        return PartRows.query(c, EXCHANGE, SYMBOL, List.of(CHAMPION, CHALLENGER, third), after);
    }

    private static void insert(Connection c, SeedData.Prediction p) throws SQLException {
        TestDatabase.insertPrediction(c, EXCHANGE, p);
        byVersion.get(p.modelVersion()).put(p.target(), p);
    }

    private static SeedData.Prediction renamed(SeedData.Prediction p, String version, double move) {
        return new SeedData.Prediction(
                p.symbol(),
                version,
                p.target(),
                p.windowEnd(),
                p.predicted() * (1 + move),
                p.lower(),
                p.upper(),
                p.naive(),
                p.online());
    }
}
