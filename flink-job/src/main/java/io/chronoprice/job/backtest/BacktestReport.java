package io.chronoprice.job.backtest;

import io.chronoprice.db.DbSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-symbol evaluation of a backtest run, computed in SQL over {@code prediction_outcomes}, with the
 * metrics of the model card: MAE, RMSE, MAPE, MASE against the naive forecast, directional accuracy with a
 * 95 % Wilson interval, 80 % interval coverage and the Winkler interval score (alpha 0.2: a miss costs
 * 2 / alpha = 10 times its distance to the interval).
 */
public final class BacktestReport {

    static final String METRICS_SQL = """
            WITH judged AS (
                SELECT *,
                       (upper_close - lower_close)
                           + CASE WHEN actual_close < lower_close THEN 10 * (lower_close - actual_close)
                                  WHEN actual_close > upper_close THEN 10 * (actual_close - upper_close)
                                  ELSE 0 END AS winkler
                FROM prediction_outcomes
                WHERE exchange = ? AND model_version = ? AND actual_close IS NOT NULL
            )
            SELECT symbol,
                   count(*)                                         AS n,
                   avg(abs_error)                                   AS mae,
                   sqrt(avg(error * error))                         AS rmse,
                   100 * avg(abs_pct_error)                         AS mape,
                   avg(abs_error) / nullif(avg(naive_abs_error), 0) AS mase,
                   count(*) FILTER (WHERE direction_hit)            AS direction_hits,
                   count(direction_hit)                             AS direction_n,
                   avg(in_interval::int)                            AS coverage,
                   avg(winkler)                                     AS winkler,
                   10000 * avg(winkler / actual_close)              AS winkler_bps
            FROM judged
            GROUP BY symbol
            ORDER BY symbol
            """;

    /** One symbol's row; {@code directionLow}/{@code directionHigh} bound the 95 % Wilson interval. */
    public record Row(
            String symbol,
            long count,
            double mae,
            double rmse,
            double mapePercent,
            double mase,
            double directionAccuracy,
            double directionLow,
            double directionHigh,
            double coverage,
            double winkler,
            double winklerBps) {}

    private BacktestReport() {}

    public static List<Row> compute(DbSettings db, String exchange, String modelVersion) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement ps = c.prepareStatement(METRICS_SQL)) {
            ps.setString(1, exchange);
            ps.setString(2, modelVersion);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long hits = rs.getLong("direction_hits");
                    long n = rs.getLong("direction_n");
                    double[] ci = wilson(hits, n);
                    rows.add(new Row(
                            rs.getString("symbol"),
                            rs.getLong("n"),
                            rs.getDouble("mae"),
                            rs.getDouble("rmse"),
                            rs.getDouble("mape"),
                            rs.getDouble("mase"),
                            n == 0 ? Double.NaN : (double) hits / n,
                            ci[0],
                            ci[1],
                            rs.getDouble("coverage"),
                            rs.getDouble("winkler"),
                            rs.getDouble("winkler_bps")));
                }
            }
        }
        return rows;
    }

    /** The 95 % Wilson score interval of a proportion: honest at small n and near 0 or 1, unlike p +- 2 se. */
    static double[] wilson(long successes, long n) {
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959964;
        double p = (double) successes / n;
        double denominator = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return new double[] {centre - half, centre + half};
    }

    /** A Markdown table, printed at the end of a backtest. */
    public static String format(List<Row> rows) {
        StringBuilder out = new StringBuilder(
                "| symbol | n | MAE | RMSE | MAPE % | MASE vs naive | direction (95 % CI) | 80 % coverage | Winkler (bps of price) |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(
                    "| %s | %d | %.6g | %.6g | %.4f | %.4f | %.1f %% (%.1f-%.1f) | %.1f %% | %.2f |%n",
                    r.symbol(),
                    r.count(),
                    r.mae(),
                    r.rmse(),
                    r.mapePercent(),
                    r.mase(),
                    100 * r.directionAccuracy(),
                    100 * r.directionLow(),
                    100 * r.directionHigh(),
                    100 * r.coverage(),
                    r.winklerBps()));
        }
        return out.toString();
    }
}
