package io.chronoprice.api.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code common_target_parts()} through the repository's query, rows mapped as the repository maps them. */
final class PartRows {

    /** {@link MetricsRepository#COMMON_PARTS} with plain parameters and the window start given. */
    private static final String PARTS = MetricsRepository.COMMON_PARTS
            .replace(":exchange, :symbol, :interval,", "?, ?, '1m',")
            .replace("CAST(:versions AS text[])", "CAST(? AS text[])")
            .replace(MetricsRepository.WINDOW_START, "?");

    private PartRows() {}

    /** The parts of the 1m series' window after {@code after} (null: all), the anchor version first. */
    static List<MetricsRepository.PairPart> query(
            Connection c, String exchange, String symbol, List<String> versions, Instant after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PARTS)) {
            ps.setString(1, exchange);
            ps.setString(2, symbol);
            ps.setArray(3, c.createArrayOf("text", versions.toArray()));
            ps.setObject(4, after == null ? null : OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
            List<MetricsRepository.PairPart> parts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parts.add(pairPart(rs));
                }
            }
            return parts;
        }
    }

    private static MetricsRepository.PairPart pairPart(ResultSet rs) throws SQLException {
        return new MetricsRepository.PairPart(
                rs.getString("version_a"),
                rs.getString("version_b"),
                rs.getString("part"),
                instant(rs, "target_open_time"),
                (Double) rs.getObject("d"),
                (Double) rs.getObject("abs_error_a"),
                (Double) rs.getObject("abs_error_b"),
                (Double) rs.getObject("naive_abs_error_a"),
                (Double) rs.getObject("naive_abs_error_b"),
                (Long) rs.getObject("targets"),
                instant(rs, "last_target"),
                rs.getString("lag_products"),
                rs.getString("before_tail"),
                rs.getString("tail"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
