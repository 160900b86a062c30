package io.chronoprice.backtest;

import io.chronoprice.common.stats.Wilson;
import io.chronoprice.db.DbSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The per-symbol evaluation of a backtest run, read from the same SQL function as the API's, with the
 * metrics of the model card for the served forecast and the model's raw one on the same rows: MAE, RMSE,
 * MAPE, MASE against the naive forecast, directional accuracy with a 95 % Wilson interval, 80 % interval
 * coverage and the Winkler interval score (alpha 0.2), next to the rolling-volatility and EWMA baselines.
 */
public final class BacktestReport {

    /** The migrations' {@code prediction_accuracy()} (the API's definition too) for each series of the run. */
    static final String METRICS_SQL = """
            SELECT s.symbol, a.*
            FROM (SELECT DISTINCT symbol, interval FROM predictions WHERE exchange = ? AND model_version = ?) s,
                 LATERAL prediction_accuracy(?, s.symbol, s.interval, NULL) a
            WHERE a.model_version = ?
            ORDER BY s.symbol, s.interval
            """;

    /** Every stored forecast of a run with its outcome, for analysis elsewhere. */
    static final String EXPORT_SQL = """
            COPY (SELECT exchange, symbol, interval, target_open_time, model_version, naive_close, actual_close,
                         predicted_close, lower_close, upper_close,
                         raw_predicted_close, raw_lower_close, raw_upper_close,
                         guard_weight, calibration_lower, calibration_upper,
                         window_scale, rolling_sigma, ewma_sigma
                  FROM prediction_outcomes
                  WHERE exchange = %s AND model_version = %s
                  ORDER BY symbol, target_open_time)
            TO STDOUT WITH (FORMAT csv, HEADER)
            """;

    /**
     * One symbol's row. Served figures are those of the stored forecast (predicted, lower and upper close);
     * raw ones are the model's before the online layers. Directions count only forecasts that make a call (a
     * served forecast equal to naive makes none). Winkler scores are in basis points of the actual close.
     */
    public record Row(
            String symbol,
            long count,
            double mae,
            double rmse,
            double mapePercent,
            double mase,
            double rawMase,
            double directionAccuracy,
            double directionLow,
            double directionHigh,
            long directionCalls,
            double rawDirectionAccuracy,
            double rawDirectionLow,
            double rawDirectionHigh,
            double coverage,
            double rawCoverage,
            double rollingCoverage,
            double ewmaCoverage,
            double winklerBps,
            double rawWinklerBps,
            double rollingWinklerBps,
            double ewmaWinklerBps,
            double guardWeight) {}

    private BacktestReport() {}

    public static List<Row> compute(DbSettings db, String exchange, String modelVersion) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(METRICS_SQL)) {
            ps.setString(1, exchange);
            ps.setString(2, modelVersion);
            ps.setString(3, exchange);
            ps.setString(4, modelVersion);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long calls = rs.getLong("direction_total");
                    double[] ci = Wilson.interval95(rs.getLong("direction_hits"), calls);
                    long rawCalls = rs.getLong("raw_direction_total");
                    double[] rawCi = Wilson.interval95(rs.getLong("raw_direction_hits"), rawCalls);
                    rows.add(new Row(
                            rs.getString("symbol"),
                            rs.getLong("resolved"),
                            rs.getDouble("mae"),
                            rs.getDouble("rmse"),
                            rs.getDouble("mape_percent"),
                            rs.getDouble("mase"),
                            nullable(rs, "raw_mase"),
                            ratio(rs.getLong("direction_hits"), calls),
                            ci[0],
                            ci[1],
                            calls,
                            ratio(rs.getLong("raw_direction_hits"), rawCalls),
                            rawCi[0],
                            rawCi[1],
                            ratio(rs.getLong("coverage_hits"), rs.getLong("coverage_total")),
                            ratio(rs.getLong("raw_coverage_hits"), rs.getLong("raw_coverage_total")),
                            ratio(rs.getLong("rolling_coverage_hits"), rs.getLong("rolling_coverage_total")),
                            ratio(rs.getLong("ewma_coverage_hits"), rs.getLong("ewma_coverage_total")),
                            rs.getDouble("winkler_bps"),
                            nullable(rs, "raw_winkler_bps"),
                            nullable(rs, "rolling_winkler_bps"),
                            nullable(rs, "ewma_winkler_bps"),
                            nullable(rs, "mean_guard_weight")));
                }
            }
        }
        return rows;
    }

    /** Writes every forecast of the run (served, raw, online state, baselines' sigmas, actual) as CSV. */
    public static long export(DbSettings db, String exchange, String modelVersion, Path file)
            throws SQLException, IOException {
        try (Connection c = db.connect();
                OutputStream out = Files.newOutputStream(file)) {
            // COPY takes no bind parameters; the values are quoted as SQL literals by the driver's own escaping.
            String sql = EXPORT_SQL.formatted(literal(c, exchange), literal(c, modelVersion));
            return c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
        }
    }

    private static String literal(Connection c, String value) throws SQLException {
        return "'" + c.unwrap(org.postgresql.core.BaseConnection.class).escapeString(value) + "'";
    }

    private static double nullable(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : value;
    }

    private static double ratio(long hits, long n) {
        return n == 0 ? Double.NaN : (double) hits / n;
    }

    /** Two Markdown tables, printed at the end of a backtest: the served forecast, then raw vs served vs baselines. */
    public static String format(List<Row> rows) {
        StringBuilder out = new StringBuilder("Served forecast (what the API and the dashboards show):\n\n"
                + "| symbol | n | MAE | RMSE | MAPE % | MASE vs naive | direction (95 % CI), calls | 80 % coverage | Winkler (bps of price) |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(
                    "| %s | %d | %.6g | %.6g | %.4f | %.4f | %s | %.1f %% | %.2f |%n",
                    r.symbol(),
                    r.count(),
                    r.mae(),
                    r.rmse(),
                    r.mapePercent(),
                    r.mase(),
                    direction(r.directionAccuracy(), r.directionLow(), r.directionHigh(), r.directionCalls()),
                    100 * r.coverage(),
                    r.winklerBps()));
        }
        out.append("\nRaw model vs served, and the interval baselines on the same rows (Winkler in bps of price;"
                        + " ratio = served Winkler / rolling-volatility Winkler):\n\n")
                .append(
                        "| symbol | raw MASE | served MASE | mean guard weight | raw direction (95 % CI) | raw coverage |"
                                + " served coverage | raw Winkler | served Winkler | rolling-vol Winkler (coverage) |"
                                + " EWMA Winkler (coverage) | ratio |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(
                    "| %s | %.4f | %.4f | %.3f | %s | %.1f %% | %.1f %% | %.2f | %.2f | %.2f (%.1f %%) | %.2f (%.1f %%) | %.3f |%n",
                    r.symbol(),
                    r.rawMase(),
                    r.mase(),
                    r.guardWeight(),
                    direction(r.rawDirectionAccuracy(), r.rawDirectionLow(), r.rawDirectionHigh(), -1),
                    100 * r.rawCoverage(),
                    100 * r.coverage(),
                    r.rawWinklerBps(),
                    r.winklerBps(),
                    r.rollingWinklerBps(),
                    100 * r.rollingCoverage(),
                    r.ewmaWinklerBps(),
                    100 * r.ewmaCoverage(),
                    r.winklerBps() / r.rollingWinklerBps()));
        }
        return out.toString();
    }

    private static String direction(double accuracy, double low, double high, long calls) {
        if (Double.isNaN(accuracy)) {
            return "no call (naive)";
        }
        String text = String.format("%.1f %% (%.1f-%.1f)", 100 * accuracy, 100 * low, 100 * high);
        return calls < 0 ? text : text + ", " + calls;
    }
}
