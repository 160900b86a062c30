package io.chronoprice.rowcheck;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;

/**
 * A log of every row the job tries to write, which is what makes "written twice" measurable at all: the tables have
 * primary keys and the job upserts, so the tables alone never show a duplicate. A {@code BEFORE INSERT} row trigger
 * on each {@link StoredTable} fires for every proposed row, also when {@code ON CONFLICT} turns it into an update or
 * into nothing, and records the row's key and its values (every column but the key and the write times, as JSON);
 * rows of a rolled-back batch vanish with it, so the log holds committed write attempts. {@link StoredRows#read}
 * reads it back. On a partitioned table (candles and predictions, V8) the trigger is cloned onto every partition and
 * fires there, so it files the row under the partitioned table's name, not the partition's.
 */
public final class WriteLog {

    /** The log table, in the checked database's public schema. */
    public static final String TABLE = "write_attempts";

    private WriteLog() {}

    /**
     * Creates the log and its triggers in the database {@code owner} is connected to, as the owner of the tables;
     * install it before the job writes. Time stamps in keys are written in UTC, whatever the session's time zone.
     */
    public static void install(Connection owner) throws SQLException {
        try (Statement st = owner.createStatement()) {
            st.execute("CREATE TABLE " + TABLE + " (tbl text NOT NULL, k text NOT NULL, v jsonb NOT NULL,"
                    + " at timestamptz NOT NULL DEFAULT clock_timestamp())");
            // TG_ARGV: the key columns, in key order.
            st.execute("CREATE FUNCTION log_write_attempt() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC'"
                    + " AS $$ DECLARE r jsonb := to_jsonb(NEW); BEGIN"
                    + " INSERT INTO " + TABLE + " (tbl, k, v)"
                    + " SELECT COALESCE(pg_partition_root(TG_RELID)::text, TG_TABLE_NAME),"
                    + " string_agg(r ->> a.c, ' ' ORDER BY a.n),"
                    + " r - TG_ARGV - 'ingested_at' - 'created_at' - 'detected_at'"
                    + " FROM unnest(TG_ARGV) WITH ORDINALITY AS a (c, n);"
                    + " RETURN NEW; END $$");
            for (StoredTable table : StoredTable.values()) {
                st.execute("CREATE TRIGGER log_write_attempt BEFORE INSERT ON " + table.sqlName()
                        + " FOR EACH ROW EXECUTE FUNCTION log_write_attempt("
                        + table.keyColumns().stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "))
                        + ")");
            }
        }
    }
}
