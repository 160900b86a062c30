package io.chronoprice.api.metrics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads a row of {@code common_target_parts()} as the repository maps it. */
final class PartRows {

    private PartRows() {}

    static MetricsRepository.PairPart pairPart(ResultSet rs) throws SQLException {
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
