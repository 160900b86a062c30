package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.api.support.ApiITCaseSupport;
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
import org.junit.jupiter.params.provider.MethodSource;

/** Every metric the API computes in SQL, recomputed here in plain Java from the seeded rows. */
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
            List<SeedData.Prediction> rows = seed.predictions(symbol).stream()
                    .filter(p -> p.modelVersion().equals(actual.modelVersion()))
                    .filter(p -> p.target().isAfter(newest.minus(length)))
                    .toList();
            assertMatches(actual, rows);
        }
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
            ps.setNull(4, java.sql.Types.VARCHAR);
            btc.bind(ps, 5);
            ps.setDouble(8, 86_400);
        });
        assertThat(plan).contains("Index").doesNotContain("Seq Scan");
    }

    private void assertMatches(ModelMetrics actual, List<SeedData.Prediction> rows) {
        List<double[]> resolved = rows.stream()
                .flatMap(p -> seed.actual(p).stream()
                        .map(a -> new double[] {p.predicted(), a, p.naive(), p.lower(), p.upper()}))
                .toList();
        int n = resolved.size();
        double absSum = 0;
        double sqSum = 0;
        double pctSum = 0;
        double naiveAbsSum = 0;
        long directionTotal = 0;
        long directionHits = 0;
        long covered = 0;
        for (double[] r : resolved) {
            double predicted = r[0];
            double real = r[1];
            double naive = r[2];
            absSum += Math.abs(predicted - real);
            sqSum += (predicted - real) * (predicted - real);
            pctSum += Math.abs(predicted - real) / real;
            naiveAbsSum += Math.abs(naive - real);
            if (real != naive) {
                directionTotal++;
                if (Math.signum(predicted - naive) == Math.signum(real - naive)) {
                    directionHits++;
                }
            }
            if (r[3] <= real && real <= r[4]) {
                covered++;
            }
        }
        double mae = absSum / n;
        double naiveMae = naiveAbsSum / n;
        assertThat(actual.predictions()).isEqualTo(rows.size());
        assertThat(actual.resolved()).isEqualTo(n);
        assertThat(actual.mae()).isCloseTo(mae, within(TOLERANCE * mae));
        assertThat(actual.rmse()).isCloseTo(Math.sqrt(sqSum / n), within(TOLERANCE * mae));
        assertThat(actual.mapePercent()).isCloseTo(100 * pctSum / n, within(TOLERANCE));
        assertThat(actual.naiveMae()).isCloseTo(naiveMae, within(TOLERANCE * naiveMae));
        assertThat(actual.mase()).isCloseTo(mae / naiveMae, within(TOLERANCE));
        assertWilson(actual.directionalAccuracy(), directionHits, directionTotal);
        assertWilson(actual.intervalCoverage(), covered, n);
        assertThat(Optional.ofNullable(actual.firstTargetTime()))
                .contains(rows.stream()
                        .map(SeedData.Prediction::target)
                        .min(Comparator.naturalOrder())
                        .orElseThrow());
    }

    /** The Wilson score interval written as in Wilson (1927): (2np + z^2 -+ z sqrt(z^2 + 4np(1-p))) / 2(n + z^2). */
    private static void assertWilson(WilsonInterval actual, long hits, long total) {
        double z = 1.959963984540054;
        double p = (double) hits / total;
        double root = z * Math.sqrt(z * z + 4 * total * p * (1 - p));
        double denominator = 2 * (total + z * z);
        assertThat(actual.hits()).isEqualTo(hits);
        assertThat(actual.total()).isEqualTo(total);
        assertThat(actual.rate()).isCloseTo(p, within(TOLERANCE));
        assertThat(actual.lower()).isCloseTo((2 * total * p + z * z - root) / denominator, within(TOLERANCE));
        assertThat(actual.upper()).isCloseTo((2 * total * p + z * z + root) / denominator, within(TOLERANCE));
    }
}
