package io.chronoprice.rowcheck;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * The primary key of a stored row: its series, its time (a candle's open time, a prediction's target open time, the
 * open time of a gap's first candle after it) and, for predictions only, the model version ({@code ""} otherwise).
 */
public record RowKey(String exchange, String symbol, String interval, Instant time, String modelVersion)
        implements Comparable<RowKey> {

    private static final Comparator<RowKey> ORDER = Comparator.comparing(RowKey::exchange)
            .thenComparing(RowKey::symbol)
            .thenComparing(RowKey::interval)
            .thenComparing(RowKey::modelVersion)
            .thenComparing(RowKey::time);

    public RowKey {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(modelVersion, "modelVersion");
    }

    /** The key of a candle or a gap (no model version). */
    public static RowKey of(String exchange, String symbol, String interval, long timeMs) {
        return new RowKey(exchange, symbol, interval, Instant.ofEpochMilli(timeMs), "");
    }

    /** The key of a prediction of {@code modelVersion} for the candle opening at {@code targetOpenTimeMs}. */
    public static RowKey prediction(
            String exchange, String symbol, String interval, long targetOpenTimeMs, String modelVersion) {
        return new RowKey(exchange, symbol, interval, Instant.ofEpochMilli(targetOpenTimeMs), modelVersion);
    }

    @Override
    public int compareTo(RowKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return exchange + " " + symbol + " " + interval + " " + time
                + (modelVersion.isEmpty() ? "" : " " + modelVersion);
    }
}
