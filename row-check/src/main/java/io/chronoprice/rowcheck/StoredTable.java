package io.chronoprice.rowcheck;

import java.util.List;
import java.util.Optional;

/**
 * The tables the job writes, as the checker reads them: every row is keyed by its series (exchange, symbol,
 * interval), a time and, for predictions, the model version (the tables' primary keys), and compared on its value
 * columns. Columns that say when a row was written ({@code ingested_at}, {@code created_at}, {@code detected_at})
 * are not values: a replay after a restore writes them anew.
 */
public enum StoredTable {
    CANDLES(
            "candles",
            "open_time",
            false,
            List.of(
                    Column.number("open"),
                    Column.number("high"),
                    Column.number("low"),
                    Column.number("close"),
                    Column.number("volume"))),
    PREDICTIONS(
            "predictions",
            "target_open_time",
            true,
            List.of(
                    Column.number("predicted_close"),
                    Column.number("lower_close"),
                    Column.number("upper_close"),
                    Column.number("naive_close"),
                    Column.time("window_end_open_time"),
                    Column.number("raw_predicted_close"),
                    Column.number("raw_lower_close"),
                    Column.number("raw_upper_close"),
                    Column.number("guard_weight"),
                    Column.number("calibration_lower"),
                    Column.number("calibration_upper"),
                    Column.number("window_scale"),
                    Column.number("rolling_sigma"),
                    Column.number("ewma_sigma"))),
    GAPS(
            "candle_gaps",
            "first_open_time_after",
            false,
            List.of(Column.time("last_open_time_before"), Column.integer("missing_candles")));

    /** How a value column is read and compared: doubles exactly (bit for bit), times as instants. */
    public enum Type {
        DOUBLE,
        INTEGER,
        TIME
    }

    public record Column(String name, Type type) {
        static Column number(String name) {
            return new Column(name, Type.DOUBLE);
        }

        static Column integer(String name) {
            return new Column(name, Type.INTEGER);
        }

        static Column time(String name) {
            return new Column(name, Type.TIME);
        }
    }

    private final String sqlName;
    private final String timeColumn;
    private final boolean versioned;
    private final List<Column> values;

    StoredTable(String sqlName, String timeColumn, boolean versioned, List<Column> values) {
        this.sqlName = sqlName;
        this.timeColumn = timeColumn;
        this.versioned = versioned;
        this.values = values;
    }

    /** The table's name in the schema. */
    public String sqlName() {
        return sqlName;
    }

    /** The time column of the key. */
    public String timeColumn() {
        return timeColumn;
    }

    /** Whether the key holds a model version. */
    public boolean versioned() {
        return versioned;
    }

    /** The key columns, in key order. */
    public List<String> keyColumns() {
        return versioned
                ? List.of("exchange", "symbol", "interval", timeColumn, "model_version")
                : List.of("exchange", "symbol", "interval", timeColumn);
    }

    public List<Column> valueColumns() {
        return values;
    }

    public Optional<Column> column(String name) {
        return values.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
