package io.chronoprice.rowcheck;

import io.chronoprice.common.series.CandleInterval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the job must store for the candles an exchange served, by the job's rules: every candle, as served; one
 * prediction per full gap-free window (a candle and the {@code windowSize - 1} candles before it, each one interval
 * apart) and model version, for the candle after the window (target = window end + 1 interval); one gap row per
 * hole in a series. Model versions added while the job ran ({@link Builder#lateVersions}) are expected from their
 * first stored prediction in each series on. Values to compare come from the candles themselves (candle values,
 * window ends, gaps) and from an optional reference: predictions computed independently, or a clean run's rows.
 */
public final class Expectation {

    private final String exchange;
    private final CandleInterval interval;
    private final int windowSize;
    private final Map<String, List<SourceCandle>> series;
    private final Set<String> versions;
    private final Set<String> lateVersions;
    private final Map<StoredTable, Map<RowKey, Map<String, Object>>> reference;

    private Expectation(Builder b) {
        this.exchange = b.exchange;
        this.interval = b.interval;
        this.windowSize = b.windowSize;
        this.series = Map.copyOf(b.series);
        this.versions = Set.copyOf(b.versions);
        this.lateVersions = Set.copyOf(b.lateVersions);
        this.reference = b.reference;
    }

    /** The rows of series of {@code exchange} at {@code interval}, windows of {@code windowSize} candles. */
    public static Builder builder(String exchange, String interval, int windowSize) {
        return new Builder(exchange, CandleInterval.fromCode(interval), windowSize);
    }

    public String exchange() {
        return exchange;
    }

    public String interval() {
        return interval.code();
    }

    public int windowSize() {
        return windowSize;
    }

    /** Every candle's key. */
    public long candleCount() {
        return series.values().stream().mapToLong(List::size).sum();
    }

    /** How many full gap-free windows the candles make (predictions expected per model version). */
    public long windowCount() {
        return series.values().stream().mapToLong(c -> windowEnds(c).size()).sum();
    }

    /** How many holes the candles have (gap rows expected). */
    public long gapCount() {
        return series.values().stream().mapToLong(c -> gaps(c).size()).sum();
    }

    /**
     * The expected rows of {@code table} with the values they must have (only the columns known), given what is
     * stored (late versions are expected from their first stored prediction on).
     */
    Map<RowKey, Map<String, Object>> rows(StoredTable table, StoredRows stored) {
        Map<RowKey, Map<String, Object>> rows = new TreeMap<>();
        series.forEach((symbol, candles) -> {
            switch (table) {
                case CANDLES ->
                    candles.forEach(c -> rows.put(
                            RowKey.of(exchange, symbol, interval.code(), c.openTimeMs()),
                            values(
                                    table,
                                    "open",
                                    c.open(),
                                    "high",
                                    c.high(),
                                    "low",
                                    c.low(),
                                    "close",
                                    c.close(),
                                    "volume",
                                    c.volume())));
                case GAPS ->
                    gaps(candles)
                            .forEach((after, before) -> rows.put(
                                    RowKey.of(exchange, symbol, interval.code(), after),
                                    values(
                                            table,
                                            "last_open_time_before",
                                            before,
                                            "missing_candles",
                                            (after - before) / interval.millis() - 1)));
                case PREDICTIONS -> {
                    List<Long> ends = windowEnds(candles);
                    for (String version : versions) {
                        long from = Long.MIN_VALUE;
                        if (lateVersions.contains(version)) {
                            from = stored.firstPrediction(exchange, symbol, interval.code(), version)
                                    .map(Instant::toEpochMilli)
                                    .orElse(Long.MIN_VALUE);
                        }
                        for (long end : ends) {
                            long target = end + interval.millis();
                            if (target >= from) {
                                rows.put(
                                        RowKey.prediction(exchange, symbol, interval.code(), target, version),
                                        values(table, "window_end_open_time", end));
                            }
                        }
                    }
                }
            }
        });
        // The reference adds the values it knows; what follows from the candles themselves stays as derived.
        reference.getOrDefault(table, Map.of()).forEach((key, known) -> {
            Map<String, Object> row = rows.get(key);
            if (row != null) {
                Map<String, Object> merged = new LinkedHashMap<>(known);
                merged.putAll(row);
                rows.put(key, merged);
            }
        });
        return rows;
    }

    /** Open times of the last candle of each full gap-free window. */
    private List<Long> windowEnds(List<SourceCandle> candles) {
        List<Long> ends = new ArrayList<>();
        int run = 0;
        long previous = Long.MIN_VALUE;
        for (SourceCandle c : candles) {
            run = previous != Long.MIN_VALUE && c.openTimeMs() - previous == interval.millis() ? run + 1 : 1;
            previous = c.openTimeMs();
            if (run >= windowSize) {
                ends.add(c.openTimeMs());
            }
        }
        return ends;
    }

    /** The holes: open time of the first candle after each, to the open time of the last candle before it. */
    private Map<Long, Long> gaps(List<SourceCandle> candles) {
        Map<Long, Long> gaps = new TreeMap<>();
        for (int i = 1; i < candles.size(); i++) {
            if (candles.get(i).openTimeMs() - candles.get(i - 1).openTimeMs() > interval.millis()) {
                gaps.put(candles.get(i).openTimeMs(), candles.get(i - 1).openTimeMs());
            }
        }
        return gaps;
    }

    private static Map<String, Object> values(StoredTable table, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            values.put(name, normalize(table, name, namesAndValues[i + 1]));
        }
        return values;
    }

    /** A value as {@link StoredRows} reads its column: Double, Long or Instant (times also as epoch ms). */
    static Object normalize(StoredTable table, String column, Object value) {
        StoredTable.Type type = table.column(column)
                .orElseThrow(() -> new IllegalArgumentException(table.sqlName() + " has no value column " + column))
                .type();
        if (value == null) {
            return null;
        }
        return switch (type) {
            case DOUBLE -> {
                if (!(value instanceof Number n)) {
                    throw new IllegalArgumentException(column + ": a number, not " + value);
                }
                yield n.doubleValue();
            }
            case INTEGER -> {
                if (!(value instanceof Long || value instanceof Integer || value instanceof Short)) {
                    throw new IllegalArgumentException(column + ": an integer, not " + value);
                }
                yield ((Number) value).longValue();
            }
            case TIME -> {
                if (value instanceof Instant t) {
                    yield t;
                }
                if (value instanceof Long ms) {
                    yield Instant.ofEpochMilli(ms);
                }
                throw new IllegalArgumentException(column + ": an Instant or epoch milliseconds, not " + value);
            }
        };
    }

    public static final class Builder {
        private final String exchange;
        private final CandleInterval interval;
        private final int windowSize;
        private final Map<String, List<SourceCandle>> series = new TreeMap<>();
        private final Set<String> versions = new LinkedHashSet<>();
        private final Set<String> lateVersions = new LinkedHashSet<>();
        private final Map<StoredTable, Map<RowKey, Map<String, Object>>> reference = new EnumMap<>(StoredTable.class);

        private Builder(String exchange, CandleInterval interval, int windowSize) {
            if (windowSize < 1) {
                throw new IllegalArgumentException("window size " + windowSize);
            }
            this.exchange = exchange;
            this.interval = interval;
            this.windowSize = windowSize;
        }

        /** The candles the exchange served for {@code symbol}, ascending by open time, holes left out. */
        public Builder series(String symbol, List<SourceCandle> candles) {
            for (int i = 1; i < candles.size(); i++) {
                if (candles.get(i).openTimeMs() <= candles.get(i - 1).openTimeMs()) {
                    throw new IllegalArgumentException(symbol + ": candles not ascending at index " + i);
                }
            }
            series.put(symbol, List.copyOf(candles));
            return this;
        }

        /** Versions that score every window. */
        public Builder modelVersions(Collection<String> modelVersions) {
            versions.addAll(modelVersions);
            return this;
        }

        public Builder modelVersions(String... modelVersions) {
            return modelVersions(List.of(modelVersions));
        }

        /**
         * Versions added while the job ran: expected for every window from their first stored prediction in each
         * series on (in a series where they have none, every window counts as lost).
         */
        public Builder lateVersions(Collection<String> modelVersions) {
            versions.addAll(modelVersions);
            lateVersions.addAll(modelVersions);
            return this;
        }

        public Builder lateVersions(String... modelVersions) {
            return lateVersions(List.of(modelVersions));
        }

        /**
         * Values the rows of {@code table} must have, by key; only the columns given are compared, and keys that are
         * not expected are ignored. Numbers are compared as doubles bit for bit, times as instants (or epoch ms).
         */
        public Builder reference(StoredTable table, Map<RowKey, Map<String, Object>> rows) {
            Map<RowKey, Map<String, Object>> target = reference.computeIfAbsent(table, t -> new TreeMap<>());
            rows.forEach((key, values) -> {
                Map<String, Object> normalized = new LinkedHashMap<>();
                values.forEach((column, value) -> normalized.put(column, normalize(table, column, value)));
                target.merge(key, normalized, (a, b) -> {
                    Map<String, Object> m = new LinkedHashMap<>(a);
                    m.putAll(b);
                    return m;
                });
            });
            return this;
        }

        /** Every row of another run (e.g. a clean one) as the reference of this one's values. */
        public Builder reference(StoredRows other) {
            for (StoredTable table : StoredTable.values()) {
                reference(table, other.rows(table));
            }
            return this;
        }

        public Expectation build() {
            return new Expectation(this);
        }
    }
}
