package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.ExpectedComparison;
import io.chronoprice.api.support.ExpectedMetrics;
import io.chronoprice.api.support.Plans;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric the API computes in SQL, recomputed here in plain Java from the seeded rows ({@link ExpectedMetrics}):
 * the served forecast's, the raw model's and the two volatility baselines', on windows that hold pre-V4 rows
 * without a raw forecast, rows with both, and rows whose served forecast is the naive one. The comparison of the
 * champion and the challenger on their common targets, Diebold-Mariano test included, is recomputed from the
 * definitions too ({@link ExpectedComparison}).
 */
@MicronautTest(transactional = false)
class MetricsITCase extends ApiITCaseSupport {

    private static final double TOLERANCE = 1e-9;

    private final SeedData seed = TestDatabase.seed();

    @Inject
    @Client("/")
    HttpClient http;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("BTCUSDT", "all", Duration.ofDays(100_000)),
                Arguments.of("BTCUSDT", "1h", Duration.ofHours(1)),
                Arguments.of("BTCUSDT", "24h", Duration.ofHours(24)),
                Arguments.of("ETHUSDT", "7d", Duration.ofDays(7)),
                Arguments.of("ETHUSDT", "1h", Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("cases")
    void matchesAnIndependentComputation(String symbol, String window, Duration length) {
        MetricsReport report = http.toBlocking()
                .retrieve("/metrics/model?symbol=" + symbol.toLowerCase() + "&window=" + window, MetricsReport.class);

        Instant newest = seed.predictions(symbol).stream()
                .map(SeedData.Prediction::target)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        List<String> models = seed.predictions(symbol).stream()
                .map(SeedData.Prediction::modelVersion)
                .distinct()
                .sorted()
                .toList();
        assertThat(report.symbol()).isEqualTo(symbol);
        assertThat(report.window()).isEqualTo(window);
        assertThat(report.models()).extracting(ModelMetrics::modelVersion).containsExactlyElementsOf(models);
        for (ModelMetrics actual : report.models()) {
            SeedData.Model registered = SeedData.MODELS.stream()
                    .filter(m -> m.version().equals(actual.modelVersion()))
                    .findFirst()
                    .orElseThrow();
            assertThat(actual.status()).isEqualTo(registered.status());
            assertThat(actual.champion()).isEqualTo(actual.modelVersion().equals(SeedData.MODEL_1));
            List<SeedData.Prediction> rows = seed.predictions(symbol).stream()
                    .filter(p -> p.modelVersion().equals(actual.modelVersion()))
                    .filter(p -> p.target().isAfter(newest.minus(length)))
                    .toList();
            assertMatches(actual, rows);
        }
    }

    @ParameterizedTest(name = "BTCUSDT over {0}")
    @CsvSource({"all, 100000", "24h, 1440", "1h, 60"})
    void comparisonOfChampionAndChallengerOnCommonTargetsMatchesAnIndependentComputation(String window, long minutes) {
        MetricsReport report =
                http.toBlocking().retrieve("/metrics/model?symbol=BTCUSDT&window=" + window, MetricsReport.class);

        Instant newest = seed.predictions("BTCUSDT").stream()
                .map(SeedData.Prediction::target)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        List<SeedData.Prediction> inWindow = seed.predictions("BTCUSDT").stream()
                .filter(p -> p.target().isAfter(newest.minus(Duration.ofMinutes(minutes))))
                .toList();
        ExpectedComparison expected = ExpectedComparison.of(inWindow, seed::actual, SeedData.MODEL_1, SeedData.MODEL_2);
        VersionComparison comparison = report.comparison();

        // The challenger predicted the last MODEL_2_TARGETS targets only, the newest of which is not resolved yet.
        long common = Math.min(SeedData.MODEL_2_TARGETS, minutes) - 1;
        assertThat(expected.commonTargets()).hasSize((int) common);
        assertThat(comparison.champion()).isEqualTo(SeedData.MODEL_1);
        assertThat(comparison.commonTargets()).isEqualTo(common);
        assertThat(comparison.firstTargetTime())
                .isEqualTo(expected.commonTargets().get(0));
        assertThat(comparison.lastTargetTime())
                .isEqualTo(expected.commonTargets().get((int) common - 1));
        assertThat(comparison.models())
                .extracting(
                        CommonTargetMetrics::modelVersion, CommonTargetMetrics::status, CommonTargetMetrics::champion)
                .containsExactly(
                        tuple(SeedData.MODEL_1, "champion", true), tuple(SeedData.MODEL_2, "challenger", false));
        for (CommonTargetMetrics m : comparison.models()) {
            ExpectedComparison.Version e = expected.versions().get(m.modelVersion());
            assertClose(m.mae(), e.mae());
            assertClose(m.naiveMae(), e.naiveMae());
            assertClose(m.mase(), e.mase());
        }
        if (minutes > SeedData.MODEL_2_TARGETS) {
            // Over the common targets, not the champion's own: its MAE here is not its MAE over the window.
            ModelMetrics championOverWindow = report.models().stream()
                    .filter(m -> m.modelVersion().equals(SeedData.MODEL_1))
                    .findFirst()
                    .orElseThrow();
            assertThat(championOverWindow.resolved()).isGreaterThan(common);
            assertThat(comparison.models().get(0).mae()).isNotCloseTo(championOverWindow.mae(), within(1e-9));
        }

        ExpectedComparison.Test dm = expected.test();
        assertThat(comparison.tests()).singleElement().satisfies(t -> {
            assertThat(t.challenger()).isEqualTo(SeedData.MODEL_2);
            assertThat(t.champion()).isEqualTo(SeedData.MODEL_1);
            assertThat(t.n()).isEqualTo(common);
            assertThat(t.lags()).isEqualTo(dm.lags());
            assertClose(t.meanLossDifference(), dm.meanDifference());
            assertClose(t.statistic(), dm.statistic());
            // The API's normal tail is an erfc approximation (relative error < 1.2e-7); this one is integrated.
            assertThat(t.pValue()).isCloseTo(dm.pValue(), within(1e-6));
            assertThat(t.reading()).isEqualTo(expectedReading(dm));
        });
    }

    @Test
    void aSeriesWithOnlyTheChampionHasNothingToTest() {
        MetricsReport report =
                http.toBlocking().retrieve("/metrics/model?symbol=ETHUSDT&window=all", MetricsReport.class);

        List<Instant> resolvedTargets = seed.predictions("ETHUSDT").stream()
                .filter(p -> seed.actual(p).isPresent())
                .map(SeedData.Prediction::target)
                .sorted()
                .toList();
        long resolved = resolvedTargets.size();
        assertThat(report.comparison().champion()).isEqualTo(SeedData.MODEL_1);
        assertThat(report.comparison().commonTargets()).isEqualTo(resolved);
        // The newest prediction waits for its candle: the range is that of the resolved ones.
        assertThat(report.comparison().firstTargetTime()).isEqualTo(resolvedTargets.get(0));
        assertThat(report.comparison().lastTargetTime()).isEqualTo(resolvedTargets.get(resolvedTargets.size() - 1));
        assertThat(report.models().get(0).lastTargetTime())
                .isAfter(report.comparison().lastTargetTime());
        assertThat(report.comparison().models())
                .singleElement()
                .satisfies(m -> assertClose(m.mae(), report.models().get(0).mae()));
        assertThat(report.comparison().tests()).isEmpty();
    }

    @Test
    void comparisonCoversEveryScoredVersionWhateverTheModelVersionFilter() {
        MetricsReport report = http.toBlocking()
                .retrieve(
                        "/metrics/model?symbol=BTCUSDT&window=all&model_version=" + SeedData.MODEL_2,
                        MetricsReport.class);

        assertThat(report.models()).extracting(ModelMetrics::modelVersion).containsExactly(SeedData.MODEL_2);
        assertThat(report.comparison().models())
                .extracting(CommonTargetMetrics::modelVersion)
                .containsExactly(SeedData.MODEL_1, SeedData.MODEL_2);
    }

    /** The reading the API must give for a test, from the definitions: significant at 5 %, and in whose favour. */
    static String expectedReading(ExpectedComparison.Test dm) {
        if (dm.pValue() >= 0.05) {
            return "no significant difference at 5 %";
        }
        return (dm.statistic() < 0 ? "challenger" : "champion") + " better at 5 %";
    }

    @Test
    void modelVersionFilterKeepsOneModel() {
        MetricsReport report = http.toBlocking()
                .retrieve(
                        "/metrics/model?symbol=BTCUSDT&window=all&model_version=" + SeedData.MODEL_2,
                        MetricsReport.class);

        assertThat(report.models()).singleElement().satisfies(m -> {
            assertThat(m.modelVersion()).isEqualTo(SeedData.MODEL_2);
            assertThat(m.predictions()).isEqualTo(SeedData.MODEL_2_TARGETS);
        });
    }

    @Test
    void aggregateReadsTheWindowThroughTheIndex() throws Exception {
        SeriesKey btc = new SeriesKey("binance", "BTCUSDT", "1m");
        String plan = Plans.explain(MetricsRepository.METRICS, ps -> {
            btc.bind(ps, 1);
            btc.bind(ps, 4);
            ps.setDouble(7, 86_400);
            ps.setNull(8, java.sql.Types.VARCHAR);
        });
        // The window start; what prediction_accuracy() reads inside is AccuracyRollupITCase's concern.
        assertThat(plan).contains("Index").doesNotContain("Seq Scan");
    }

    @Test
    void rawMetricsCountOnlyRowsWithARawForecastAndCompareThemWithNaiveOnThoseRows() {
        ModelMetrics m = http.toBlocking()
                .retrieve(
                        "/metrics/model?symbol=BTCUSDT&window=all&model_version=" + SeedData.MODEL_1,
                        MetricsReport.class)
                .models()
                .get(0);

        // The first LEGACY_TARGETS rows are pre-V4 (no raw forecast); all of them are resolved.
        assertThat(m.raw().resolved()).isEqualTo(m.resolved() - SeedData.LEGACY_TARGETS);
        assertThat(m.raw().intervalCoverage().total()).isEqualTo(m.raw().resolved());
        assertThat(m.baselines().rollingVolatility().intervalCoverage().total())
                .isEqualTo(m.raw().resolved());
        // Over fewer rows, the naive MAE is a different number: the raw MASE must not divide by the served one.
        assertThat(m.raw().naiveMae()).isNotCloseTo(m.naiveMae(), within(1e-6 * m.naiveMae()));
        assertThat(m.raw().mase()).isCloseTo(m.raw().mae() / m.raw().naiveMae(), within(TOLERANCE));
    }

    @Test
    void aServedForecastEqualToTheNaiveOneMakesNoDirectionalCall() {
        List<SeedData.Prediction> rows = seed.predictions("BTCUSDT").stream()
                .filter(p -> p.modelVersion().equals(SeedData.MODEL_2))
                .toList();
        long moved = rows.stream()
                .filter(p -> seed.actual(p).filter(a -> a != p.naive()).isPresent())
                .count();
        long called = rows.stream()
                .filter(p -> seed.actual(p)
                        .filter(a -> a != p.naive() && p.predicted() != p.naive())
                        .isPresent())
                .count();
        ModelMetrics m = http.toBlocking()
                .retrieve(
                        "/metrics/model?symbol=BTCUSDT&window=all&model_version=" + SeedData.MODEL_2,
                        MetricsReport.class)
                .models()
                .get(0);

        // The seed serves the naive forecast itself (guard weight 0) on a good part of the rows.
        assertThat(called).isPositive().isLessThan(moved - 10);
        assertThat(m.directionalAccuracy().total()).isEqualTo(called);
        // The raw median always differs from naive, so the raw forecast calls every row that moved.
        assertThat(m.raw().directionalAccuracy().total()).isEqualTo(moved);
    }

    private void assertMatches(ModelMetrics actual, List<SeedData.Prediction> rows) {
        ExpectedMetrics e = ExpectedMetrics.of(rows, seed::actual);
        assertThat(actual.predictions()).isEqualTo(e.predictions());
        assertThat(actual.resolved()).isEqualTo(e.resolved());
        assertClose(actual.mae(), e.mae());
        assertClose(actual.rmse(), e.rmse());
        assertClose(actual.mapePercent(), e.mapePercent());
        assertClose(actual.naiveMae(), e.naiveMae());
        assertClose(actual.mase(), e.mase());
        assertWilson(actual.directionalAccuracy(), e.direction());
        assertWilson(actual.intervalCoverage(), e.coverage());
        assertClose(actual.winklerBps(), e.winklerBps());
        assertClose(actual.meanGuardWeight(), e.meanGuardWeight());

        RawModelMetrics raw = actual.raw();
        assertThat(raw.resolved()).isEqualTo(e.rawResolved());
        assertClose(raw.mae(), e.rawMae());
        assertClose(raw.naiveMae(), e.rawNaiveMae());
        assertClose(raw.mase(), e.rawMase());
        assertWilson(raw.directionalAccuracy(), e.rawDirection());
        assertWilson(raw.intervalCoverage(), e.rawCoverage());
        assertClose(raw.winklerBps(), e.rawWinklerBps());

        assertWilson(actual.baselines().rollingVolatility().intervalCoverage(), e.rollingCoverage());
        assertClose(actual.baselines().rollingVolatility().winklerBps(), e.rollingWinklerBps());
        assertWilson(actual.baselines().ewmaVolatility().intervalCoverage(), e.ewmaCoverage());
        assertClose(actual.baselines().ewmaVolatility().winklerBps(), e.ewmaWinklerBps());

        assertThat(Optional.ofNullable(actual.firstTargetTime()))
                .contains(rows.stream()
                        .map(SeedData.Prediction::target)
                        .min(Comparator.naturalOrder())
                        .orElseThrow());
    }

    /** Equal within a relative tolerance, or both null. */
    private static void assertClose(Double actual, Double expected) {
        if (expected == null) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual).isNotNull().isCloseTo(expected, within(TOLERANCE * Math.max(1, Math.abs(expected))));
        }
    }

    /** The Wilson score interval written as in Wilson (1927): (2np + z^2 -+ z sqrt(z^2 + 4np(1-p))) / 2(n + z^2). */
    private static void assertWilson(WilsonInterval actual, ExpectedMetrics.Counts expected) {
        long hits = expected.hits();
        long total = expected.total();
        assertThat(actual.hits()).isEqualTo(hits);
        assertThat(actual.total()).isEqualTo(total);
        if (total == 0) {
            assertThat(actual.rate()).isNull();
            assertThat(actual.lower()).isNull();
            assertThat(actual.upper()).isNull();
            return;
        }
        double z = 1.959963984540054;
        double p = (double) hits / total;
        double root = z * Math.sqrt(z * z + 4 * total * p * (1 - p));
        double denominator = 2 * (total + z * z);
        assertThat(actual.rate()).isCloseTo(p, within(TOLERANCE));
        assertThat(actual.lower()).isCloseTo((2 * total * p + z * z - root) / denominator, within(TOLERANCE));
        assertThat(actual.upper()).isCloseTo((2 * total * p + z * z + root) / denominator, within(TOLERANCE));
    }
}
