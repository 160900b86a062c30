package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.api.support.ExpectedComparison;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.common.stats.DieboldMariano;
import java.sql.Connection;
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
 * The comparison of two versions from migration V10's prefix sums of their loss differences, read as the API reads
 * it ({@code common_target_parts()}), gives the numbers of the textbook computation on the rows
 * ({@link ExpectedComparison}) for every window, with current sums, with none, and with a change not refreshed yet;
 * once refreshed, it reads the sums although the challenger missed targets in every hour (V12), and the summed hours'
 * first 64 loss differences from the sums' tails, or from the rows where an hour holds more (V14). The series is the
 * seeded real BTCUSDT candles with the champion's forecasts and
 * a challenger's on all but every 17th target, copied under a backtest run's name so nothing else reads them.
 */
class LossDifferenceRollupITCase {

    private static final String EXCHANGE = "binance@pair-test";
    private static final String SYMBOL = "BTCUSDT";
    private static final String A = SeedData.MODEL_1;
    private static final String B = SeedData.MODEL_2;

    private static SeedData seed;
    private static final Map<Instant, Double> closes = new HashMap<>();
    private static final Map<String, Map<Instant, SeedData.Prediction>> byVersion = new HashMap<>();

    @BeforeAll
    static void copySeries() throws SQLException {
        seed = TestDatabase.seed();
        List<SeedData.Candle> candles = seed.candles(SYMBOL);
        byVersion.put(A, new HashMap<>());
        byVersion.put(B, new HashMap<>());
        try (Connection c = TestDatabase.writer()) {
            c.setAutoCommit(false);
            for (SeedData.Candle candle : candles) {
                TestDatabase.insertCandle(c, EXCHANGE, candle);
                closes.put(candle.openTime(), candle.close());
            }
            for (SeedData.Prediction p : seed.predictions(SYMBOL)) {
                if (p.modelVersion().equals(A)) {
                    TestDatabase.insertPrediction(c, EXCHANGE, p);
                    byVersion.get(A).put(p.target(), p);
                }
            }
            for (int i = 1; i <= candles.size(); i++) {
                if (i % 17 != 0) {
                    SeedData.Prediction p = SeedData.challenger(candles, i);
                    TestDatabase.insertPrediction(c, EXCHANGE, p);
                    byVersion.get(B).put(p.target(), p);
                }
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
    }

    @Test
    void sumsGiveTheTextbookComparisonForEveryWindow() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.markEveryHourChanged(c, "loss_difference_dirty", EXCHANGE);
            int fromSums = assertEveryWindowAsExpected(c);
            assertThat(fromSums)
                    .as("windows read from the sums with every hour changed")
                    .isZero();

            TestDatabase.refreshAccuracy(c);
            assertThat(TestDatabase.markers(c, "loss_difference_dirty", EXCHANGE))
                    .isZero();
            assertThat(assertEveryWindowAsExpected(c))
                    .as("windows read from the sums once refreshed")
                    .isGreaterThan(10);

            // The sums are what it read: spoil them (rolled back) and the whole window's statistic moves.
            c.setAutoCommit(false);
            DieboldMariano.Result before = window(c, null).test(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE loss_difference_cumulative SET lag_products[2] = lag_products[2] * 2"
                        + " WHERE exchange = '" + EXCHANGE + "'");
            }
            assertThat(window(c, null).test(false).statistic()).isNotCloseTo(before.statistic(), within(1e-3));
            c.rollback();
        }
    }

    @Test
    void aCorrectedCandleInsideTheHistoryIsReadFromTheRowsUntilTheNextRefresh() throws SQLException {
        List<SeedData.Candle> candles = seed.candles(SYMBOL);
        SeedData.Candle middle = candles.get(candles.size() / 2);
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.refreshAccuracy(c);
            TestDatabase.setClose(c, EXCHANGE, middle, middle.close() * 1.01);
            closes.put(middle.openTime(), middle.close() * 1.01);
            assertThat(TestDatabase.markers(c, "loss_difference_dirty", EXCHANGE))
                    .isPositive();
            assertEveryWindowAsExpected(c);

            TestDatabase.refreshAccuracy(c);
            assertThat(assertEveryWindowAsExpected(c)).isGreaterThan(10);
        } finally {
            try (Connection c = TestDatabase.writer()) {
                TestDatabase.setClose(c, EXCHANGE, middle, middle.close());
                closes.put(middle.openTime(), middle.close());
            }
        }
    }

    @Test
    void theCleanHoursFirstTargetsComeFromTheSumsTails() throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            TestDatabase.refreshAccuracy(c);
            // A row read from the table has its target time; a value of a tail has none.
            assertThat(parts(c, EXCHANGE, null))
                    .filteredOn(p -> p.part().equals("head"))
                    .hasSize(DieboldMariano.MAX_LAGS)
                    .allSatisfy(p -> assertThat(p.targetOpenTime()).isNull());
        }
    }

    @Test
    void hoursOfMoreThan64TargetsTakeTheFirstTargetsFromTheRowsForTheSameComparison() throws SQLException {
        // The same closes and forecasts 30 s apart instead of 60: an hour then holds 120 targets, more than the tails
        // of two hours cover.
        String dense = "binance@pair-test-30s";
        Instant first = seed.candles(SYMBOL).get(0).openTime();
        try (Connection c = TestDatabase.writer()) {
            c.setAutoCommit(false);
            for (SeedData.Candle k : seed.candles(SYMBOL)) {
                TestDatabase.insertCandle(
                        c,
                        dense,
                        new SeedData.Candle(
                                k.symbol(),
                                halved(first, k.openTime()),
                                k.open(),
                                k.high(),
                                k.low(),
                                closes.get(k.openTime()),
                                k.volume()));
            }
            for (Map<Instant, SeedData.Prediction> version : byVersion.values()) {
                for (SeedData.Prediction p : version.values()) {
                    TestDatabase.insertPrediction(
                            c,
                            dense,
                            new SeedData.Prediction(
                                    p.symbol(),
                                    p.modelVersion(),
                                    halved(first, p.target()),
                                    halved(first, p.windowEnd()),
                                    p.predicted(),
                                    p.lower(),
                                    p.upper(),
                                    p.naive(),
                                    p.online()));
                }
            }
            c.commit();
            c.setAutoCommit(true);
            TestDatabase.refreshAccuracy(c);

            List<SeedData.Candle> candles = seed.candles(SYMBOL);
            List<Instant> starts =
                    SeedData.windowStarts(first, candles.get(candles.size() - 1).openTime(), 97);
            int fromSums = 0;
            for (Instant after : starts) {
                List<MetricsRepository.PairPart> denseParts = parts(c, dense, halved(first, after));
                PairWindow expected =
                        PairWindow.of(A, List.of(B), parts(c, EXCHANGE, after)).get(0);
                PairWindow got = PairWindow.of(A, List.of(B), denseParts).get(0);
                String where = "after " + after;
                assertThat(got.targets()).as(where).isEqualTo(expected.targets());
                if (got.targets() < 2) {
                    continue;
                }
                DieboldMariano.Result r = got.test(true);
                DieboldMariano.Result e = expected.test(true);
                assertThat(r.lags()).as(where).isEqualTo(e.lags());
                assertThat(r.meanDifference()).as(where).isCloseTo(e.meanDifference(), within(1e-9));
                assertThat(r.statistic()).as(where).isCloseTo(e.statistic(), within(1e-7));
                if (denseParts.stream().anyMatch(p -> p.part().equals("clean"))) {
                    fromSums++;
                    assertThat(denseParts)
                            .as(where)
                            .filteredOn(p -> p.part().equals("head"))
                            .hasSize(DieboldMariano.MAX_LAGS)
                            .allSatisfy(p -> assertThat(p.targetOpenTime()).isNotNull());
                }
            }
            assertThat(fromSums).as("windows read from the sums").isGreaterThan(5);
        } finally {
            TestDatabase.deleteExchange(dense);
        }
    }

    /** {@code t} at half its distance from {@code first}; null stays null. */
    private static Instant halved(Instant first, Instant t) {
        return t == null ? null : first.plusMillis((t.toEpochMilli() - first.toEpochMilli()) / 2);
    }

    /** Checks every window against the rows; returns how many were read from the sums. */
    private static int assertEveryWindowAsExpected(Connection c) throws SQLException {
        int fromSums = 0;
        List<SeedData.Candle> candles = seed.candles(SYMBOL);
        Instant last = candles.get(candles.size() - 1).openTime();
        List<Instant> starts =
                new ArrayList<>(SeedData.windowStarts(candles.get(0).openTime(), last, 97));
        starts.add(last.minus(3, ChronoUnit.HOURS));
        for (Instant after : starts) {
            PairWindow got = window(c, after);
            List<Instant> common = byVersion.get(A).keySet().stream()
                    .filter(t -> byVersion.get(B).containsKey(t) && closes.containsKey(t))
                    .filter(t -> after == null || t.isAfter(after))
                    .sorted()
                    .toList();
            String where = "after " + after;
            assertThat(got.targets()).as(where).isEqualTo(common.size());
            if (common.isEmpty()) {
                continue;
            }
            double[] d = new double[common.size()];
            double absA = 0;
            double absB = 0;
            for (int i = 0; i < d.length; i++) {
                double y = closes.get(common.get(i));
                double ea = Math.abs(byVersion.get(A).get(common.get(i)).predicted() - y);
                double eb = Math.abs(byVersion.get(B).get(common.get(i)).predicted() - y);
                d[i] = ea - eb;
                absA += ea;
                absB += eb;
            }
            assertThat(got.firstTarget()).as(where).isEqualTo(common.get(0));
            assertThat(got.lastTarget()).as(where).isEqualTo(common.get(common.size() - 1));
            assertThat(got.sumAbsErrorA()).as(where).isCloseTo(absA, within(1e-9 * absA));
            assertThat(got.sumAbsErrorB()).as(where).isCloseTo(absB, within(1e-9 * absB));
            if (d.length >= 2) {
                // The champion (a) against the challenger (b) as the API tests it: d = |e_b| - |e_a|.
                double[] challengerMinusChampion =
                        java.util.Arrays.stream(d).map(v -> -v).toArray();
                ExpectedComparison.Test expected = ExpectedComparison.dieboldMariano(challengerMinusChampion);
                DieboldMariano.Result r = got.test(true);
                assertThat(r.lags()).as(where).isEqualTo(expected.lags());
                assertThat(r.meanDifference()).as(where).isCloseTo(expected.meanDifference(), within(1e-9));
                assertThat(r.statistic()).as(where).isCloseTo(expected.statistic(), within(1e-7));
                assertThat(r.pValue()).as(where).isCloseTo(expected.pValue(), within(1e-6));
            }
            if (readFromSums(c, after)) {
                fromSums++;
            }
        }
        return fromSums;
    }

    private static PairWindow window(Connection c, Instant after) throws SQLException {
        return PairWindow.of(A, List.of(B), parts(c, after)).get(0);
    }

    private static boolean readFromSums(Connection c, Instant after) throws SQLException {
        return parts(c, after).stream().anyMatch(p -> p.part().equals("clean"));
    }

    private static List<MetricsRepository.PairPart> parts(Connection c, Instant after) throws SQLException {
        return parts(c, EXCHANGE, after);
    }

    private static List<MetricsRepository.PairPart> parts(Connection c, String exchange, Instant after)
            throws SQLException {
        return PartRows.query(c, exchange, SYMBOL, List.of(A, B), after);
    }
}
