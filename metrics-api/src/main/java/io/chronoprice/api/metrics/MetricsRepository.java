package io.chronoprice.api.metrics;

import io.chronoprice.api.price.PredictionView;
import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the accuracy metrics from the migrations' {@code prediction_accuracy()}, and the comparison of the scored
 * versions on the targets all of them predicted from {@code common_target_parts()} (migrations V10 to V14): both
 * from prefix sums, so a window costs the same whatever it holds. Java derives the Wilson bounds from the counts and
 * the Diebold-Mariano test from the sums (chronoprice-stats).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MetricsRepository extends GenericRepository<PredictionView, Void> {

    /**
     * The window start: the series' newest target time minus {@code :windowSeconds} (null: all). One scalar subquery
     * compared without OR, so even a generic prepared plan keeps it as an index bound; a null window length makes it
     * -infinity ("all").
     */
    String WINDOW_START = "COALESCE("
            + "\n        (SELECT max(o.target_open_time) FROM predictions o WHERE " + SeriesKey.SQL_FILTER + ")"
            + "\n            - make_interval(secs => CAST(:windowSeconds AS double precision)),"
            + "\n        '-infinity')";

    String IN_WINDOW = "\n  AND o.target_open_time > " + WINDOW_START + "\n";

    // Also read by MetricsITCase, which checks the plan is index-backed. The metrics are those of the migrations'
    // prediction_accuracy(), which the backtest report reads too. The status is read per version from the
    // registry's primary key.
    String METRICS = "SELECT a.*, (SELECT m.status FROM models m WHERE m.model_version = a.model_version) AS status"
            + "\nFROM prediction_accuracy(:exchange, :symbol, :interval, " + WINDOW_START + ") a"
            + "\nWHERE a.model_version = COALESCE(CAST(:modelVersion AS text), a.model_version)"
            + "\nORDER BY a.model_version\n";

    /**
     * The pieces of the window of each pair (anchor, v) of {@code :versions} (the anchor first), over
     * the targets every one of them predicted, from which {@link PairWindow#of} puts together each comparison; the
     * arrays come as text (PostgreSQL writes a float8 in the fewest digits that read back exactly).
     */
    String COMMON_PARTS = "SELECT p.version_a, p.version_b, p.part, p.target_open_time, p.d, p.abs_error_a,"
            + " p.abs_error_b, p.naive_abs_error_a, p.naive_abs_error_b, p.targets, p.last_target,"
            + " array_to_string(p.lag_products, ',') AS lag_products,"
            + " array_to_string(p.before_tail, ',') AS before_tail, array_to_string(p.tail, ',') AS tail"
            + "\nFROM common_target_parts(:exchange, :symbol, :interval,"
            + " CAST(:versions AS text[]), " + WINDOW_START + ") p\n";

    /** The first and last resolved target of one version in the window: an index probe from each end. */
    String RESOLVED_RANGE = "SELECT"
            + "\n  (SELECT o.target_open_time FROM prediction_outcomes o WHERE " + SeriesKey.SQL_FILTER
            + " AND o.model_version = :modelVersion AND o.actual_close IS NOT NULL" + IN_WINDOW
            + "   ORDER BY o.target_open_time LIMIT 1) AS first_target,"
            + "\n  (SELECT o.target_open_time FROM prediction_outcomes o WHERE " + SeriesKey.SQL_FILTER
            + " AND o.model_version = :modelVersion AND o.actual_close IS NOT NULL" + IN_WINDOW
            + "   ORDER BY o.target_open_time DESC LIMIT 1) AS last_target\n";

    /**
     * One row of {@link #COMMON_PARTS}: of the window of the pair {@code versionA < versionB}, a target of the part
     * {@code front}, {@code head} (its d alone when taken from the sums' tails) or {@code back}, or the clean sums.
     */
    @Introspected
    record PairPart(
            String versionA,
            String versionB,
            String part,
            @Nullable Instant targetOpenTime,
            @Nullable Double d,
            @Nullable Double absErrorA,
            @Nullable Double absErrorB,
            @Nullable Double naiveAbsErrorA,
            @Nullable Double naiveAbsErrorB,
            @Nullable Long targets,
            @Nullable Instant lastTarget,
            @Nullable String lagProducts,
            @Nullable String beforeTail,
            @Nullable String tail) {

        PairWindow.Target target() {
            return new PairWindow.Target(targetOpenTime, d, absErrorA, absErrorB, naiveAbsErrorA, naiveAbsErrorB);
        }

        PairWindow.Clean clean() {
            return new PairWindow.Clean(
                    targets,
                    absErrorA,
                    absErrorB,
                    naiveAbsErrorA,
                    naiveAbsErrorB,
                    targetOpenTime,
                    lastTarget,
                    numbers(lagProducts),
                    numbers(beforeTail),
                    numbers(tail));
        }

        private static double[] numbers(String text) {
            return text.isEmpty()
                    ? new double[0]
                    : Arrays.stream(text.split(","))
                            .mapToDouble(Double::parseDouble)
                            .toArray();
        }
    }

    /** One row of {@link #RESOLVED_RANGE}. */
    @Introspected
    record ResolvedRange(
            @Nullable Instant firstTarget, @Nullable Instant lastTarget) {}

    /** One row of {@link #METRICS}, by column name. */
    @Introspected
    record Row(
            String modelVersion,
            @Nullable String status,
            long predictions,
            long resolved,
            @Nullable Instant firstTargetTime,
            @Nullable Instant lastTargetTime,
            @Nullable Double mae,
            @Nullable Double rmse,
            @Nullable Double mapePercent,
            @Nullable Double naiveMae,
            @Nullable Double mase,
            long directionHits,
            long directionTotal,
            long coverageHits,
            long coverageTotal,
            @Nullable Double winklerBps,
            @Nullable Double meanGuardWeight,
            long rawResolved,
            @Nullable Double rawMae,
            @Nullable Double rawNaiveMae,
            @Nullable Double rawMase,
            long rawDirectionHits,
            long rawDirectionTotal,
            long rawCoverageHits,
            long rawCoverageTotal,
            @Nullable Double rawWinklerBps,
            long rollingCoverageHits,
            long rollingCoverageTotal,
            @Nullable Double rollingWinklerBps,
            long ewmaCoverageHits,
            long ewmaCoverageTotal,
            @Nullable Double ewmaWinklerBps) {

        ModelMetrics toMetrics() {
            return new ModelMetrics(
                    modelVersion,
                    status,
                    VersionComparisons.CHAMPION.equals(status),
                    predictions,
                    resolved,
                    firstTargetTime,
                    lastTargetTime,
                    mae,
                    rmse,
                    mapePercent,
                    naiveMae,
                    mase,
                    WilsonInterval.of(directionHits, directionTotal),
                    WilsonInterval.of(coverageHits, coverageTotal),
                    winklerBps,
                    meanGuardWeight,
                    new RawModelMetrics(
                            rawResolved,
                            rawMae,
                            rawNaiveMae,
                            rawMase,
                            WilsonInterval.of(rawDirectionHits, rawDirectionTotal),
                            WilsonInterval.of(rawCoverageHits, rawCoverageTotal),
                            rawWinklerBps),
                    new Baselines(
                            new IntervalScore(
                                    WilsonInterval.of(rollingCoverageHits, rollingCoverageTotal), rollingWinklerBps),
                            new IntervalScore(WilsonInterval.of(ewmaCoverageHits, ewmaCoverageTotal), ewmaWinklerBps)));
        }
    }

    /** The series parameters appear twice in the SQL; Micronaut Data binds each occurrence by name. */
    @Query(value = METRICS, nativeQuery = true)
    List<Row> rows(
            String exchange,
            String symbol,
            String interval,
            @Nullable String modelVersion,
            @Nullable Double windowSeconds);

    @Query(value = COMMON_PARTS, nativeQuery = true)
    List<PairPart> commonParts(
            String exchange,
            String symbol,
            String interval,
            @TypeDef(type = DataType.STRING_ARRAY) String[] versions,
            @Nullable Double windowSeconds);

    @Query(value = RESOLVED_RANGE, nativeQuery = true)
    List<ResolvedRange> resolvedRange(
            String exchange, String symbol, String interval, String modelVersion, @Nullable Double windowSeconds);

    default List<ModelMetrics> metrics(SeriesKey key, Window window, @Nullable String modelVersion) {
        return rows(key.exchange(), key.symbol(), key.interval(), modelVersion, seconds(window)).stream()
                .map(Row::toMetrics)
                .toList();
    }

    /**
     * The champion and the challengers on the targets of the window that all of them predicted and are resolved.
     *
     * @param versions every version's metrics over the same window (unfiltered {@link #metrics})
     */
    default VersionComparison comparison(SeriesKey key, Window window, List<ModelMetrics> versions) {
        List<ModelMetrics> scored = versions.stream()
                .filter(m -> m.status() != null && VersionComparisons.SCORED.contains(m.status()) && m.resolved() > 0)
                .toList();
        Double seconds = seconds(window);
        if (scored.isEmpty()) {
            return VersionComparisons.none();
        }
        if (scored.size() == 1) {
            ModelMetrics only = scored.get(0);
            ResolvedRange range = resolvedRange(
                            key.exchange(), key.symbol(), key.interval(), only.modelVersion(), seconds)
                    .get(0);
            return VersionComparisons.ofOne(only, range.firstTarget(), range.lastTarget());
        }
        ModelMetrics anchor =
                scored.stream().filter(ModelMetrics::champion).findFirst().orElse(scored.get(0));
        List<ModelMetrics> others = scored.stream().filter(m -> m != anchor).toList();
        List<String> otherVersions =
                others.stream().map(ModelMetrics::modelVersion).toList();
        String[] all = Stream.concat(Stream.of(anchor.modelVersion()), otherVersions.stream())
                .toArray(String[]::new);
        List<PairWindow> windows = PairWindow.of(
                anchor.modelVersion(),
                otherVersions,
                commonParts(key.exchange(), key.symbol(), key.interval(), all, seconds));
        return VersionComparisons.ofMany(anchor, others, windows);
    }

    private static Double seconds(Window window) {
        return window.length() == null ? null : (double) window.length().toSeconds();
    }
}
