package io.chronoprice.api.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * EXPLAINs a query with sequential scans disabled: if PostgreSQL still plans a Seq Scan, no index can serve it.
 * (On the small test tables a seq scan would otherwise win on cost, which says nothing about large ones.)
 */
public final class Plans {

    /** Binds the parameters of the explained query. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Plans() {}

    public static String explain(String sql, Binder binder) throws SQLException {
        try (Connection c = TestDatabase.writer()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET enable_seqscan = off");
            }
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                binder.bind(ps);
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                return String.join("\n", lines);
            }
        }
    }
}
