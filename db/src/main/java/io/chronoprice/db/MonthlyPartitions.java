package io.chronoprice.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The writers' side of the monthly partitions of {@code candles} and {@code predictions} (migration V8): a row whose
 * month has no partition of its own is kept in a gap partition, never refused, but reads and writes are fastest when
 * every month has its own; so whoever writes gives the months it is about to write their partitions (the job every
 * registry poll for the current and next month, a backtest for its data's range before it starts) and files what
 * landed in a gap (the job every poll).
 */
public final class MonthlyPartitions {

    private MonthlyPartitions() {}

    /**
     * Gives every month (UTC) from the month of {@code from} to the month of {@code to}, both included, its own
     * partition in both tables, moving there the rows a gap partition held for it; in its own transaction when the
     * connection is in auto-commit. Returns the number of partitions created, 0 when all existed (a few catalog
     * lookups). Fails after 500 ms waiting for the tables' locks.
     */
    public static int ensure(Connection c, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ensure_monthly_partitions(?, ?)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Gives every month that gap partitions hold rows of its partition; returns the number of partitions created. */
    public static int fileGapRows(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT file_gap_rows()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * What a running job does every poll: the current and next month of {@code now}, then the months the gaps hold
     * rows of (a replay's or a backfill's past months). Returns the partitions created.
     */
    public static int maintain(Connection c, Instant now) throws SQLException {
        Instant nextMonth =
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC).plusMonths(1).toInstant();
        return ensure(c, now, nextMonth) + fileGapRows(c);
    }
}
