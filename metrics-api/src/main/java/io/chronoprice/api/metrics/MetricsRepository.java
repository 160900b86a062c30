package io.chronoprice.api.metrics;

import io.chronoprice.api.price.PredictionView;
import io.chronoprice.api.sql.Db;
import io.chronoprice.api.symbols.SeriesKey;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Types;
import java.util.List;

/**
 * Computes the accuracy metrics in one aggregate over {@code prediction_outcomes}: PostgreSQL scans the
 * window's rows once (primary-key range) and returns a row per model version; Java only derives the Wilson
 * bounds from the counts.
 */
@Singleton
public final class MetricsRepository {

    // Package-private for MetricsITCase, which checks the plan is index-backed. The window start is one scalar
    // subquery (an InitPlan) compared without OR, so even a generic prepared plan keeps it as an index bound;
    // a null window length makes it -infinity ("all").
    static final String METRICS =
            """
            SELECT o.model_version,
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
                   count(o.in_interval) AS coverage_total
            FROM prediction_outcomes o
            WHERE %s
              AND %s
              AND o.target_open_time > COALESCE(
                    (SELECT max(o.target_open_time) FROM predictions o WHERE %s)
                        - make_interval(secs => CAST(? AS double precision)),
                    '-infinity')
            GROUP BY o.model_version
            ORDER BY o.model_version
            """.formatted(SeriesKey.SQL_FILTER, PredictionView.MODEL_FILTER, SeriesKey.SQL_FILTER);

    private final Db db;

    public MetricsRepository(Db db) {
        this.db = db;
    }

    public List<ModelMetrics> metrics(SeriesKey key, Window window, @Nullable String modelVersion) {
        return db.list(
                METRICS,
                ps -> {
                    key.bind(ps, 1);
                    Db.setNullableText(ps, 4, modelVersion);
                    key.bind(ps, 5);
                    if (window.length() == null) {
                        ps.setNull(8, Types.DOUBLE);
                    } else {
                        ps.setDouble(8, window.length().toSeconds());
                    }
                },
                rs -> new ModelMetrics(
                        rs.getString("model_version"),
                        rs.getLong("predictions"),
                        rs.getLong("resolved"),
                        Db.instant(rs, "first_target_time"),
                        Db.instant(rs, "last_target_time"),
                        Db.nullableDouble(rs, "mae"),
                        Db.nullableDouble(rs, "rmse"),
                        Db.nullableDouble(rs, "mape_percent"),
                        Db.nullableDouble(rs, "naive_mae"),
                        Db.nullableDouble(rs, "mase"),
                        WilsonInterval.of(rs.getLong("direction_hits"), rs.getLong("direction_total")),
                        WilsonInterval.of(rs.getLong("coverage_hits"), rs.getLong("coverage_total"))));
    }
}
