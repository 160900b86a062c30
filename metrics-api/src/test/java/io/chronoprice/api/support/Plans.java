package io.chronoprice.api.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * EXPLAINs a query with sequential scans disabled: if PostgreSQL still plans a Seq Scan, no index can serve it.
 * (On the small test tables a seq scan would otherwise win on cost, which says nothing about large ones.)
 * The repositories' native SQL uses Micronaut Data's named parameters ({@code :symbol}); they are turned into
 * JDBC's positional {@code ?} here, one per occurrence in order, as Micronaut Data itself does.
 */
public final class Plans {

    private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<![:\\w]):[A-Za-z_]\\w*");

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
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + positional(sql))) {
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

    public static String positional(String sql) {
        return NAMED_PARAMETER.matcher(sql).replaceAll("?");
    }
}
