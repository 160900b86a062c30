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
 * Reads the accuracy metrics from the migrations' {@code prediction_accuracy()}: PostgreSQL scans the window's rows
 * once (primary-key range) and returns a row per model version; Java only derives the Wilson bounds from the counts. The comparison of versions on common targets needs each target's errors in time order
 * (the Diebold-Mariano variance depends on their autocorrelation), so {@link #LOSSES} returns those rows and
 * {@link VersionComparisons} does the rest in Java with chronoprice-stats.
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
