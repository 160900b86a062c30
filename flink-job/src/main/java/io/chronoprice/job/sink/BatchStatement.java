package io.chronoprice.job.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * One table's write as a single statement per batch of rows: each column travels as one array parameter, and
 * {@code unnest} turns the arrays back into rows ({@code INSERT ... SELECT ... FROM unnest(...) ON CONFLICT ...}).
 *
 * <p>Against the driver's multi-row {@code INSERT ... VALUES} (up to 128 rows and 2,560 parameters per statement),
 * one statement per batch fires the tables' statement triggers once per batch, and the driver sends twenty arrays
 * instead of thousands of parameters: PostgreSQL spends about a fifth less CPU per prediction upserted, the job about
 * half (BENCHMARKS.md). Numbers and times go as primitive arrays in the driver's binary format; times as epoch
 * milliseconds, which {@code to_timestamp(ms / 1000.0)} turns back exactly (a double holds any millisecond of the
 * next few thousand years to well under a microsecond, and PostgreSQL rounds to the microsecond).
 */
final class BatchStatement<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    interface Text<T> extends Serializable {
        String of(T row);
    }

    interface Time<T> extends Serializable {
        long epochMillis(T row);
    }

    interface Number<T> extends Serializable {
        double of(T row);
    }

    interface Count<T> extends Serializable {
        int of(T row);
    }

    /** A batch of rows as one array per column, in the statement's column order; never changed once built. */
    static final class Rows {
        private final String[] arrayTypes;
        private final Object[] columns;

        private Rows(String[] arrayTypes, Object[] columns) {
            this.arrayTypes = arrayTypes;
            this.columns = columns;
        }

        void bind(PreparedStatement statement) throws SQLException {
            PGConnection pg = statement.getConnection().unwrap(PGConnection.class);
            for (int i = 0; i < columns.length; i++) {
                statement.setArray(i + 1, pg.createArrayOf(arrayTypes[i], columns[i]));
            }
        }
    }

    private final String insertSql;
    private final String onConflict;
    private final List<Column<T>> columns;
    /** The columns' array element types, shared by every batch. */
    private final String[] arrayTypes;

    private BatchStatement(String insertSql, String onConflict, List<Column<T>> columns) {
        this.insertSql = insertSql;
        this.onConflict = onConflict;
        this.columns = columns;
        this.arrayTypes = columns.stream().map(Column::arrayType).toArray(String[]::new);
    }

    static <T> Builder<T> insertInto(String table) {
        return new Builder<>(table);
    }

    /** The statement, idempotent: a row whose key is stored already is updated (or kept) instead of failing it. */
    String sql() {
        return insertSql + onConflict;
    }

    /**
     * The statement without its {@code ON CONFLICT} clause, for rows known to be new: PostgreSQL then skips the
     * speculative insertion that checks each row's key first, a third of an upsert's cost per row (BENCHMARKS.md). A
     * row whose key is stored already fails the whole statement.
     */
    String insertOnlySql() {
        return insertSql;
    }

    Rows rows(List<T> rows) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).values(rows);
        }
        return new Rows(arrayTypes, values);
    }

    static final class Builder<T> {
        private final String table;
        private final List<Column<T>> columns = new ArrayList<>();

        private Builder(String table) {
            this.table = table;
        }

        Builder<T> text(String name, Text<T> read) {
            columns.add(new TextColumn<>(name, read));
            return this;
        }

        Builder<T> time(String name, Time<T> read) {
            columns.add(new TimeColumn<>(name, read));
            return this;
        }

        Builder<T> number(String name, Number<T> read) {
            columns.add(new NumberColumn<>(name, read));
            return this;
        }

        Builder<T> count(String name, Count<T> read) {
            columns.add(new CountColumn<>(name, read));
            return this;
        }

        /** On a conflict on {@code key}, sets every other column to the new row's value, except those in {@code keep}. */
        BatchStatement<T> updateOnConflict(List<String> key, String... keep) {
            List<String> kept = Arrays.asList(keep);
            String set = names().filter(n -> !key.contains(n) && !kept.contains(n))
                    .map(n -> n + " = EXCLUDED." + n)
                    .collect(Collectors.joining(", "));
            return build(" ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + set);
        }

        /** On a conflict on {@code key}, keeps the row that is there. */
        BatchStatement<T> ignoreOnConflict(List<String> key) {
            return build(" ON CONFLICT (" + String.join(", ", key) + ") DO NOTHING");
        }

        private BatchStatement<T> build(String onConflict) {
            String insert = "INSERT INTO " + table + " (" + names().collect(Collectors.joining(", ")) + ")"
                    + " SELECT " + columns.stream().map(Column::selected).collect(Collectors.joining(", "))
                    + " FROM unnest("
                    + columns.stream().map(c -> "?::" + c.arrayType() + "[]").collect(Collectors.joining(", "))
                    + ") AS batch (" + names().collect(Collectors.joining(", ")) + ")";
            return new BatchStatement<>(insert, onConflict, List.copyOf(columns));
        }

        private Stream<String> names() {
            return columns.stream().map(Column::name);
        }
    }

    private interface Column<T> extends Serializable {
        String name();

        /** The SQL type of the array's elements. */
        String arrayType();

        /** How the unnested column becomes the table's. */
        default String selected() {
            return name();
        }

        Object values(List<T> rows);
    }

    private record TextColumn<T>(String name, Text<T> read) implements Column<T> {
        @Override
        public String arrayType() {
            return "text";
        }

        @Override
        public Object values(List<T> rows) {
            String[] values = new String[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = read.of(rows.get(i));
            }
            return values;
        }
    }

    private record TimeColumn<T>(String name, Time<T> read) implements Column<T> {
        @Override
        public String arrayType() {
            return "int8";
        }

        @Override
        public String selected() {
            return "to_timestamp(" + name + " / 1000.0)";
        }

        @Override
        public Object values(List<T> rows) {
            long[] values = new long[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = read.epochMillis(rows.get(i));
            }
            return values;
        }
    }

    private record NumberColumn<T>(String name, Number<T> read) implements Column<T> {
        @Override
        public String arrayType() {
            return "float8";
        }

        @Override
        public Object values(List<T> rows) {
            double[] values = new double[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = read.of(rows.get(i));
            }
            return values;
        }
    }

    private record CountColumn<T>(String name, Count<T> read) implements Column<T> {
        @Override
        public String arrayType() {
            return "int4";
        }

        @Override
        public Object values(List<T> rows) {
            int[] values = new int[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = read.of(rows.get(i));
            }
            return values;
        }
    }
}
