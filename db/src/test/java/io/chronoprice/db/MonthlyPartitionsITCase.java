package io.chronoprice.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monthly partitions of candles and predictions (V8): where rows land, how a month gets its partition without a
 * row lost or doubled, and that upserts and the accuracy triggers work on the partitioned tables as they did before.
 */
class MonthlyPartitionsITCase {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");

    private static EmbeddedDatabase db;
    /**
     * The clock just before and just after the migration: it partitioned the month of its now(), which lies between
     * the two, and the next. A test reading the clock later may already be in the next month.
     */
    private static List<OffsetDateTime> migratedBetween;

    @BeforeAll
    static void start() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
        db = EmbeddedDatabase.startForTests();
        migratedBetween = List.of(before, OffsetDateTime.now(ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        execute("TRUNCATE candles, predictions, accuracy_cumulative, accuracy_dirty");
    }

    @Test
    void theMigrationLeavesEveryTimeCoveredAndTheCurrentAndNextMonthPartitioned() throws SQLException {
        for (String table : List.of("candles", "predictions")) {
            List<String> parts = partitions(table);
            // Both clock readings are in the same month but when the migration ran over a month's end.
            assertThat(migratedBetween).as(table).anySatisfy(migrated -> assertThat(parts)
                    .contains(
                            monthly(table, migrated.toInstant()),
                            monthly(table, migrated.plusMonths(1).toInstant())));
            // Ordered by lower bound, each range starts where the one before ends: no time is left without a partition.
            assertThat(strings("SELECT count(*) FILTER (WHERE r.lo IS NULL)::text || '/' || count(*) FILTER (WHERE r.hi"
                            + " IS NULL)::text || '/' || count(*) FILTER (WHERE r.lo IS DISTINCT FROM r.prev_hi"
                            + " AND r.lo IS NOT NULL)::text FROM (SELECT b.lo, b.hi, lag(b.hi) OVER (ORDER BY b.lo"
                            + " NULLS FIRST) AS prev_hi FROM pg_inherits i, partition_range(i.inhrelid) b"
                            + " WHERE i.inhparent = '" + table + "'::regclass) r"))
                    .as("%s: one range from MINVALUE, one to MAXVALUE, no holes", table)
                    .containsExactly("1/1/0");
        }
    }

    @Test
    void rowsOfSeveralMonthsLandInTheirMonthlyPartitions() throws SQLException {
        List<Instant> times = List.of(
                Instant.parse("2019-01-31T23:59:00Z"),
                Instant.parse("2019-02-01T00:00:00Z"),
                Instant.parse("2019-02-28T12:00:00Z"),
                Instant.parse("2019-03-01T00:01:00Z"));
        try (Connection c = db.writer().connect()) {
            assertThat(MonthlyPartitions.ensure(c, times.get(0), times.get(times.size() - 1)))
                    .as("three months, two tables")
                    .isEqualTo(3 * 2);
            for (Instant t : times) {
                insertCandle(c, "binance", t, 100);
                insertPrediction(c, "binance", t, "v1", 101);
            }
        }
        for (Instant t : times) {
            assertThat(strings("SELECT tableoid::regclass::text FROM candles WHERE open_time = '" + t + "'"))
                    .containsExactly(monthly("candles", t));
            assertThat(strings("SELECT tableoid::regclass::text FROM predictions WHERE target_open_time = '" + t + "'"))
                    .containsExactly(monthly("predictions", t));
        }
    }

    @Test
    void aRowOfAMonthWithoutPartitionIsKeptInAGapAndMovedToItsMonthWithoutLossOrDuplication() throws SQLException {
        Instant early = Instant.parse("2018-06-10T08:00:00Z");
        Instant late = Instant.parse("2018-06-30T23:59:00Z");
        Instant otherMonth = Instant.parse("2018-09-02T00:00:00Z");
        try (Connection c = db.writer().connect()) {
            for (Instant t : List.of(early, late, otherMonth)) {
                insertCandle(c, "binance", t, 100);
                insertCandle(c, "binance@run", t, 200);
                insertPrediction(c, "binance", t, "v1", 101);
            }
        }
        String candleRows = "SELECT c::text FROM candles c ORDER BY exchange, open_time";
        String predictionRows = "SELECT p::text FROM predictions p ORDER BY exchange, target_open_time";
        List<String> candlesBefore = strings(candleRows);
        List<String> predictionsBefore = strings(predictionRows);
        assertThat(strings("SELECT DISTINCT tableoid::regclass::text FROM candles"))
                .singleElement()
                .asString()
                .contains("candles_gap_");

        try (Connection c = db.writer().connect()) {
            assertThat(MonthlyPartitions.ensure(c, early, early)).isEqualTo(2);
            assertThat(MonthlyPartitions.ensure(c, early, late))
                    .as("already there")
                    .isZero();
        }

        assertThat(strings(candleRows)).containsExactlyElementsOf(candlesBefore);
        assertThat(strings(predictionRows)).containsExactlyElementsOf(predictionsBefore);
        assertThat(strings("SELECT DISTINCT tableoid::regclass::text FROM candles WHERE open_time IN ('" + early
                        + "', '" + late + "')"))
                .containsExactly(monthly("candles", early));
        assertThat(strings("SELECT DISTINCT tableoid::regclass::text FROM predictions WHERE target_open_time IN ('"
                        + early + "', '" + late + "')"))
                .containsExactly(monthly("predictions", early));
        assertThat(strings("SELECT tableoid::regclass::text FROM candles WHERE open_time = '" + otherMonth + "'"))
                .as("a month not asked for stays in its gap")
                .allSatisfy(p -> assertThat(p).contains("_gap_"));
    }

    @Test
    void aMoveIsNotAWriteForTheRowTriggersAPartitionInherits() throws SQLException {
        // As the row checker's write log does: a row trigger on the parent, cloned onto every partition.
        execute("CREATE TABLE IF NOT EXISTS row_writes (open_time timestamptz)");
        execute("CREATE OR REPLACE FUNCTION count_row_write() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN INSERT INTO row_writes VALUES (NEW.open_time); RETURN NEW; END $$");
        execute("CREATE TRIGGER count_row_write BEFORE INSERT ON candles FOR EACH ROW"
                + " EXECUTE FUNCTION count_row_write()");
        try (Connection c = db.writer().connect()) {
            Instant t = Instant.parse("2014-08-08T08:00:00Z");
            insertCandle(c, "binance", t, 100);
            assertThat(MonthlyPartitions.ensure(c, t, t)).isPositive();
            assertThat(strings("SELECT tableoid::regclass::text FROM candles")).containsExactly(monthly("candles", t));
            assertThat(strings("SELECT count(*)::text FROM row_writes"))
                    .as("the move fired nothing")
                    .containsExactly("1");

            insertCandle(c, "binance", t.plusSeconds(60), 100);
            assertThat(strings("SELECT count(*)::text FROM row_writes"))
                    .as("and the trigger is on again in the new partition")
                    .containsExactly("2");
        } finally {
            execute("DROP TRIGGER count_row_write ON candles");
            execute("DROP TABLE row_writes");
        }
    }

    @Test
    void fileGapRowsGivesEveryMonthInAGapItsPartitionAndKeepsRowsAtInfinityInTheGap() throws SQLException {
        List<Instant> times = List.of(
                Instant.parse("2017-03-05T00:00:00Z"),
                Instant.parse("2017-11-30T23:59:59Z"),
                Instant.parse("2040-02-03T00:00:00Z"));
        try (Connection c = db.writer().connect()) {
            for (Instant t : times) {
                insertCandle(c, "binance", t, 100);
                insertPrediction(c, "binance", t, "v1", 101);
            }
            execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                    + " VALUES ('binance', 'BTCUSDT', '1m', 'infinity', 1, 1, 1, 1, 1)");
            List<String> before = strings("SELECT c::text FROM candles c ORDER BY open_time");

            assertThat(MonthlyPartitions.fileGapRows(c)).isEqualTo(times.size() * 2);
            assertThat(MonthlyPartitions.fileGapRows(c))
                    .as("nothing left to file")
                    .isZero();

            assertThat(strings("SELECT c::text FROM candles c ORDER BY open_time"))
                    .containsExactlyElementsOf(before);
        }
        for (Instant t : times) {
            assertThat(strings("SELECT tableoid::regclass::text FROM candles WHERE open_time = '" + t + "'"))
                    .containsExactly(monthly("candles", t));
        }
        assertThat(strings("SELECT tableoid::regclass::text FROM candles WHERE open_time = 'infinity'"))
                .singleElement()
                .asString()
                .endsWith("_max");
    }

    @Test
    void anUpsertOnThePartitionedTablesUpdatesTheRowInPlace() throws SQLException {
        Instant t = Instant.parse("2019-05-14T00:01:00Z");
        try (Connection c = db.writer().connect()) {
            MonthlyPartitions.ensure(c, t, t);
            for (double close : new double[] {49010, 49020}) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO candles"
                                + " (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                                + " VALUES ('binance', 'BTCUSDT', '1m', ?, 1, 99999, 1, ?, 1)"
                                + " ON CONFLICT (exchange, symbol, interval, open_time) DO UPDATE SET close = EXCLUDED.close")) {
                    ps.setObject(1, utc(t));
                    ps.setDouble(2, close);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO predictions (exchange, symbol, interval,"
                        + " target_open_time, model_version, predicted_close, naive_close, window_end_open_time)"
                        + " VALUES ('binance', 'BTCUSDT', '1m', ?, 'v1', ?, 1, ?) ON CONFLICT (exchange, symbol,"
                        + " interval, target_open_time, model_version) DO UPDATE SET predicted_close ="
                        + " EXCLUDED.predicted_close")) {
                    ps.setObject(1, utc(t));
                    ps.setDouble(2, close);
                    ps.setObject(3, utc(t.minusSeconds(60)));
                    ps.executeUpdate();
                }
            }
        }
        assertThat(strings("SELECT tableoid::regclass::text || ' ' || close FROM candles"))
                .containsExactly(monthly("candles", t) + " 49020");
        assertThat(strings("SELECT tableoid::regclass::text || ' ' || predicted_close FROM predictions"))
                .containsExactly(monthly("predictions", t) + " 49020");
    }

    @Test
    void theAccuracyTriggersFileTheHoursOfEveryPartitionAStatementWrote() throws SQLException {
        // One statement writing rows of two months (two partitions) and of a gap.
        Instant a = Instant.parse("2019-07-31T23:10:00Z");
        Instant b = Instant.parse("2019-08-01T05:20:00Z");
        Instant gap = Instant.parse("2016-01-01T10:00:00Z");
        try (Connection c = db.writer().connect()) {
            MonthlyPartitions.ensure(c, a, b);
        }
        String values = "VALUES ('" + a + "'::timestamptz), ('" + b + "'), ('" + gap + "')";
        Set<String> hours = Set.of(hour(a), hour(b), hour(gap));
        String markers = "SELECT DISTINCT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24') FROM accuracy_dirty";

        for (String table : List.of("predictions", "candles")) {
            String insert = table.equals("candles")
                    ? "INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                            + " SELECT 'binance', 'BTCUSDT', '1m', t, 1, 1, 1, 1, 1 FROM (" + values + ") v(t)"
                    : "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                            + " predicted_close, naive_close, window_end_open_time)"
                            + " SELECT 'binance', 'BTCUSDT', '1m', t, 'v1', 1, 1, t - interval '1 minute'"
                            + " FROM (" + values + ") v(t)";
            String column = table.equals("candles") ? "close" : "predicted_close";
            for (String statement : List.of(
                    insert,
                    "UPDATE " + table + " SET " + column + " = 2",
                    insert + " ON CONFLICT DO NOTHING",
                    "DELETE FROM " + table)) {
                execute("DELETE FROM accuracy_dirty");
                execute(statement);
                Set<String> expected = statement.endsWith("DO NOTHING") ? Set.of() : hours;
                assertThat(new LinkedHashSet<>(strings(markers)))
                        .as("%s: %s", table, statement)
                        .isEqualTo(expected);
            }
        }

        // TRUNCATE has no transition table: the rollups start over from the predictions left.
        execute("INSERT INTO accuracy_cumulative SELECT 'x', 's', '1m', 'v', now(), now(), now(), " + "0, ".repeat(30)
                + "0");
        execute("TRUNCATE candles");
        assertThat(strings("SELECT count(*)::text FROM accuracy_cumulative")).containsExactly("0");
    }

    @Test
    void theReaderReadsNewPartitionsButCannotCreateThem() throws SQLException {
        Instant t = Instant.parse("2015-04-04T04:04:00Z");
        try (Connection c = db.writer().connect()) {
            MonthlyPartitions.ensure(c, t, t);
            insertCandle(c, "binance", t, 123);
        }
        try (Connection r = db.reader().connect();
                Statement st = r.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT close FROM candles WHERE open_time = '" + t + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(123);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + monthly("candles", t))) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isOne();
            }
            assertThatThrownBy(() -> st.executeQuery("SELECT ensure_monthly_partitions(now() + interval '5 years',"
                            + " now() + interval '5 years')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
        assertThat(strings("SELECT count(*)::text FROM pg_class WHERE relname = '"
                        + monthly(
                                "candles",
                                OffsetDateTime.now(ZoneOffset.UTC).plusYears(5).toInstant()) + "'"))
                .containsExactly("0");
    }

    @Test
    void ensureRefusesAnEndlessRange() throws SQLException {
        try (Connection c = db.writer().connect()) {
            assertThatThrownBy(() -> MonthlyPartitions.ensure(c, Instant.parse("1900-01-01T00:00:00Z"), Instant.now()))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("no monthly partitions");
        }
    }

    private static String monthly(String table, Instant t) {
        return table + "_p" + MONTH.format(utc(t));
    }

    private static String hour(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH").format(utc(t));
    }

    private static List<String> partitions(String table) throws SQLException {
        return strings("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = '" + table + "'::regclass");
    }

    private static void insertCandle(Connection c, String exchange, Instant t, double close) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO candles"
                + " (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                + " VALUES (?, 'BTCUSDT', '1m', ?, ?, ?, ?, ?, 1)")) {
            ps.setString(1, exchange);
            ps.setObject(2, utc(t));
            ps.setDouble(3, close);
            ps.setDouble(4, close + 1);
            ps.setDouble(5, close - 1);
            ps.setDouble(6, close);
            ps.executeUpdate();
        }
    }

    private static void insertPrediction(Connection c, String exchange, Instant t, String version, double predicted)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO predictions (exchange, symbol, interval,"
                + " target_open_time, model_version, predicted_close, naive_close, window_end_open_time)"
                + " VALUES (?, 'BTCUSDT', '1m', ?, ?, ?, 100, ?)")) {
            ps.setString(1, exchange);
            ps.setObject(2, utc(t));
            ps.setString(3, version);
            ps.setDouble(4, predicted);
            ps.setObject(5, utc(t.minusSeconds(60)));
            ps.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.writer().connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.writer().connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
