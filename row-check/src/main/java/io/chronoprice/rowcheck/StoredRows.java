package io.chronoprice.rowcheck;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a database holds after a run: every row of each {@link StoredTable} (key and value columns), and, when the
 * {@link WriteLog} was installed, the keys that were written more than once.
 */
public final class StoredRows {

    /** A key the job wrote more than once: how often, and with how many different values. */
    public record Rewrite(StoredTable table, String key, long writes, long distinctValues) {}

    private final Map<StoredTable, NavigableMap<RowKey, Map<String, Object>>> rows;
    private final boolean writesLogged;
    private final List<Rewrite> rewrites;

    StoredRows(
            Map<StoredTable, NavigableMap<RowKey, Map<String, Object>>> rows,
            boolean writesLogged,
            List<Rewrite> rewrites) {
        this.rows = rows;
        this.writesLogged = writesLogged;
        this.rewrites = List.copyOf(rewrites);
    }

    /** Reads every row of the checked tables, and the write log if there is one, over {@code connection}. */
    public static StoredRows read(Connection connection) throws SQLException {
        Map<StoredTable, NavigableMap<RowKey, Map<String, Object>>> rows = new EnumMap<>(StoredTable.class);
        for (StoredTable table : StoredTable.values()) {
            rows.put(table, readTable(connection, table));
        }
        boolean logged = hasWriteLog(connection);
        return new StoredRows(rows, logged, logged ? readRewrites(connection) : List.of());
    }

    /** The rows of {@code table} by key, in key order; each row's value columns by name. */
    public NavigableMap<RowKey, Map<String, Object>> rows(StoredTable table) {
        return Collections.unmodifiableNavigableMap(rows.get(table));
    }

    /** Whether the database had a {@link WriteLog}; without one, rewrites cannot be told. */
    public boolean writesLogged() {
        return writesLogged;
    }

    /** Keys written more than once, with how many values. */
    public List<Rewrite> rewrites() {
        return rewrites;
    }

    /** The target open time of the first stored prediction of {@code modelVersion} in a series, if any. */
    public Optional<Instant> firstPrediction(String exchange, String symbol, String interval, String modelVersion) {
        return rows.get(StoredTable.PREDICTIONS).keySet().stream()
                .filter(k -> k.exchange().equals(exchange)
                        && k.symbol().equals(symbol)
                        && k.interval().equals(interval)
                        && k.modelVersion().equals(modelVersion))
                .map(RowKey::time)
                .min(Instant::compareTo);
    }

    /** How many predictions of each model version are stored. */
    public Map<String, Long> predictionsPerVersion() {
        return rows.get(StoredTable.PREDICTIONS).keySet().stream()
                .collect(Collectors.groupingBy(RowKey::modelVersion, TreeMap::new, Collectors.counting()));
    }

    private static NavigableMap<RowKey, Map<String, Object>> readTable(Connection c, StoredTable table)
            throws SQLException {
        List<String> columns = new ArrayList<>(table.keyColumns());
        table.valueColumns().forEach(v -> columns.add(v.name()));
        NavigableMap<RowKey, Map<String, Object>> result = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table.sqlName())) {
            while (rs.next()) {
                RowKey key = new RowKey(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        table.versioned() ? rs.getString(5) : "");
                int i = table.keyColumns().size();
                Map<String, Object> values = new LinkedHashMap<>();
                for (StoredTable.Column column : table.valueColumns()) {
                    values.put(column.name(), read(rs, ++i, column.type()));
                }
                result.put(key, Collections.unmodifiableMap(values));
            }
        }
        return result;
    }

    private static Object read(ResultSet rs, int i, StoredTable.Type type) throws SQLException {
        Object value =
                switch (type) {
                    case DOUBLE -> rs.getDouble(i);
                    case INTEGER -> rs.getLong(i);
                    case TIME -> {
                        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                        yield t == null ? null : t.toInstant();
                    }
                };
        return rs.wasNull() ? null : value;
    }

    private static boolean hasWriteLog(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getTables(null, null, WriteLog.TABLE, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static List<Rewrite> readRewrites(Connection c) throws SQLException {
        List<Rewrite> result = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT tbl, k, count(*), count(DISTINCT v) FROM " + WriteLog.TABLE
                        + " GROUP BY tbl, k HAVING count(*) > 1 ORDER BY tbl, k")) {
            while (rs.next()) {
                String tableName = rs.getString(1);
                StoredTable table = Arrays.stream(StoredTable.values())
                        .filter(t -> t.sqlName().equals(tableName))
                        .findFirst()
                        .orElseThrow(() -> new SQLException("write log names an unknown table " + tableName));
                result.add(new Rewrite(table, rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return result;
    }
}
