package io.chronoprice.job.source.split;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import io.chronoprice.common.series.SeriesId;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One candle series of one exchange, e.g. {@code binance:BTCUSDT:1m}, with the open time of the last candle the
 * source emitted for it (the checkpointed offset) and the end of the series for bounded reads. Immutable.
 */
public final class CandleSplit implements SourceSplit {
    /** {@link #lastEmittedOpenTimeMs()} before the first candle: the reader starts at startAt or backfills. */
    public static final long NONE_EMITTED = -1L;

    /** {@link #endTimeMs()} of an unbounded split. */
    public static final long NO_END = Long.MAX_VALUE;

    /**
     * {@link #endTimeMs()} of a bounded split whose end is the exchange's server time when the source starts; the
     * enumerator resolves it before assigning the split.
     */
    public static final long END_AT_SERVER_TIME = Long.MIN_VALUE;

    private final String exchange;
    private final String symbol;
    private final String interval;
    private final long lastEmittedOpenTimeMs;
    private final long endTimeMs;

    public CandleSplit(String exchange, String symbol, String interval, long lastEmittedOpenTimeMs, long endTimeMs) {
        this.exchange = checkNotNull(exchange, "exchange");
        this.symbol = checkNotNull(symbol, "symbol");
        this.interval = checkNotNull(interval, "interval");
        checkArgument(
                lastEmittedOpenTimeMs >= NONE_EMITTED,
                "lastEmittedOpenTimeMs must be >= -1, was %s",
                lastEmittedOpenTimeMs);
        this.lastEmittedOpenTimeMs = lastEmittedOpenTimeMs;
        this.endTimeMs = endTimeMs;
    }

    /** The split id of a series: {@code exchange:symbol:interval}. */
    public static String splitId(String exchange, String symbol, String interval) {
        return SeriesId.key(exchange, symbol, interval);
    }

    @Override
    public String splitId() {
        return splitId(exchange, symbol, interval);
    }

    public String exchange() {
        return exchange;
    }

    public String symbol() {
        return symbol;
    }

    public String interval() {
        return interval;
    }

    public long lastEmittedOpenTimeMs() {
        return lastEmittedOpenTimeMs;
    }

    public boolean hasEmitted() {
        return lastEmittedOpenTimeMs != NONE_EMITTED;
    }

    /** The split is done once every candle that closed at or before this exchange time has been emitted. */
    public long endTimeMs() {
        return endTimeMs;
    }

    public boolean isEndResolved() {
        return endTimeMs != END_AT_SERVER_TIME;
    }

    public CandleSplit withEndTimeMs(long newEndTimeMs) {
        return new CandleSplit(exchange, symbol, interval, lastEmittedOpenTimeMs, newEndTimeMs);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CandleSplit)) {
            return false;
        }
        CandleSplit that = (CandleSplit) o;
        return lastEmittedOpenTimeMs == that.lastEmittedOpenTimeMs
                && endTimeMs == that.endTimeMs
                && exchange.equals(that.exchange)
                && symbol.equals(that.symbol)
                && interval.equals(that.interval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exchange, symbol, interval, lastEmittedOpenTimeMs, endTimeMs);
    }

    @Override
    public String toString() {
        return "CandleSplit{" + splitId() + ", lastEmittedOpenTimeMs=" + lastEmittedOpenTimeMs + ", endTimeMs="
                + (endTimeMs == NO_END ? "none" : endTimeMs == END_AT_SERVER_TIME ? "server-time" : endTimeMs)
                + '}';
    }
}
