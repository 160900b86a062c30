package io.chronoprice.api.metrics;

import io.chronoprice.api.price.PredictionView;
import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

/**
 * Computes the accuracy metrics in one aggregate over {@code prediction_outcomes}: PostgreSQL scans the
 * window's rows once (primary-key range) and returns a row per model version; Java only derives the Wilson
 * bounds from the counts. The comparison of versions on common targets needs each target's errors in time order
 * (the Diebold-Mariano variance depends on their autocorrelation), so {@link #LOSSES} returns those rows and
 * {@link VersionComparisons} does the rest in Java with chronoprice-stats.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MetricsRepository extends GenericRepository<PredictionView, Void> {

    /**
     * Targets after the window start: the series' newest target time minus {@code :windowSeconds} (null: all).
     * One scalar subquery (an InitPlan) compared without OR, so even a generic prepared plan keeps it as an index
     * bound; a null window length makes it -infinity ("all").
     */
    String IN_WINDOW = "\n  AND o.target_open_time > COALESCE("
            + "\n        (SELECT max(o.target_open_time) FROM predictions o WHERE " + SeriesKey.SQL_FILTER + ")"
            + "\n            - make_interval(secs => CAST(:windowSeconds AS double precision)),"
            + "\n        '-infinity')\n";

    // Also read by MetricsITCase, which checks the plan is index-backed.
    // The served, raw and baseline columns are aggregated in the same pass so that all of them are judged on the
    // same rows (the view's Winkler scores are NULL until the actual exists), each in basis points of the actual.
    // The raw MASE divides by the naive MAE of the rows that have a raw forecast only (pre-V4 rows have none).
    // The status is read per group (one row per version) from the registry's primary key.
    String METRICS = """
            SELECT o.model_version,
                   (SELECT m.status FROM models m WHERE m.model_version = o.model_version) AS status,
                   count(*) AS predictions,
                   count(o.actual_close) AS resolved,
                   min(o.target_open_time) AS first_target_time,
                   max(o.target_open_time) AS last_target_time,
                   avg(o.abs_error) AS mae,
                   sqrt(avg(o.error * o.error)) AS rmse,
                   100 * avg(o.abs_pct_error) AS mape_percent,
                   avg(o.naive_abs_error) AS naive_mae,
                   avg(o.abs_error) / NULLIF(avg(o.naive_abs_error), 0) AS mase,
                   count(*) FILTER (WHERE o.direction_hit) AS direction_hits,
                   count(o.direction_hit) AS direction_total,
                   count(*) FILTER (WHERE o.in_interval) AS coverage_hits,
                   count(o.in_interval) AS coverage_total,
                   avg(o.winkler / o.actual_close) * 10000 AS winkler_bps,
                   avg(o.guard_weight) FILTER (WHERE o.actual_close IS NOT NULL) AS mean_guard_weight,
                   count(o.raw_abs_error) AS raw_resolved,
                   avg(o.raw_abs_error) AS raw_mae,
                   avg(o.naive_abs_error) FILTER (WHERE o.raw_abs_error IS NOT NULL) AS raw_naive_mae,
                   avg(o.raw_abs_error)
                       / NULLIF(avg(o.naive_abs_error) FILTER (WHERE o.raw_abs_error IS NOT NULL), 0) AS raw_mase,
                   count(*) FILTER (WHERE o.raw_direction_hit) AS raw_direction_hits,
                   count(o.raw_direction_hit) AS raw_direction_total,
                   count(*) FILTER (WHERE o.raw_in_interval) AS raw_coverage_hits,
                   count(o.raw_in_interval) AS raw_coverage_total,
                   avg(o.raw_winkler / o.actual_close) * 10000 AS raw_winkler_bps,
                   count(*) FILTER (WHERE o.rolling_in_interval) AS rolling_coverage_hits,
                   count(o.rolling_in_interval) AS rolling_coverage_total,
                   avg(o.rolling_winkler / o.actual_close) * 10000 AS rolling_winkler_bps,
                   count(*) FILTER (WHERE o.ewma_in_interval) AS ewma_coverage_hits,
                   count(o.ewma_in_interval) AS ewma_coverage_total,
                   avg(o.ewma_winkler / o.actual_close) * 10000 AS ewma_winkler_bps
            FROM prediction_outcomes o
            WHERE\s""" + SeriesKey.SQL_FILTER + "\n  AND " + PredictionView.MODEL_FILTER + IN_WINDOW + """
            GROUP BY o.model_version
            ORDER BY o.model_version
            """;

    /**
     * The served forecast's absolute error of every resolved prediction in the window by a version that is scored
     * now (the champion and the challengers of the series' interval), oldest target first. Also read by
     * MetricsITCase for its plan.
     */
    String LOSSES = """
            SELECT o.target_open_time, o.model_version, m.status, o.abs_error, o.naive_abs_error
            FROM prediction_outcomes o
            JOIN models m ON m.model_version = o.model_version
            WHERE\s"""
            + SeriesKey.SQL_FILTER
            + "\n  AND m.interval = o.interval AND m.status IN ('champion', 'challenger')"
            + "\n  AND o.actual_close IS NOT NULL"
            + IN_WINDOW
            + "ORDER BY o.target_open_time, o.model_version\n";

    /** One row of {@link #LOSSES}. */
    @Introspected
    record Loss(Instant targetOpenTime, String modelVersion, String status, double absError, double naiveAbsError) {}

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

    @Query(value = LOSSES, nativeQuery = true)
    List<Loss> losses(String exchange, String symbol, String interval, @Nullable Double windowSeconds);

    default List<ModelMetrics> metrics(SeriesKey key, Window window, @Nullable String modelVersion) {
        return rows(key.exchange(), key.symbol(), key.interval(), modelVersion, seconds(window)).stream()
                .map(Row::toMetrics)
                .toList();
    }

    /** The champion and the challengers on the targets of the window that all of them predicted and are resolved. */
    default VersionComparison comparison(SeriesKey key, Window window) {
        return VersionComparisons.of(losses(key.exchange(), key.symbol(), key.interval(), seconds(window)));
    }

    private static Double seconds(Window window) {
        return window.length() == null ? null : (double) window.length().toSeconds();
    }
}
