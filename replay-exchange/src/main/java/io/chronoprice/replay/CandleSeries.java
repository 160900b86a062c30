package io.chronoprice.replay;

import io.chronoprice.common.series.CandleInterval;
import java.util.Arrays;
import java.util.List;

/**
 * The candles of one symbol and interval, ascending by open time, with binary-search range look-ups. Immutable; the
 * loader guarantees ascending, on-grid open times. Missing candles are simply absent, as in the recorded files.
 */
public final class CandleSeries {
    private final SeriesKey key;
    private final long[] openTimes;
    private final List<Candle> candles;

    CandleSeries(SeriesKey key, List<Candle> candles) {
        if (candles.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one candle: " + key);
        }
        this.key = key;
        this.candles = List.copyOf(candles);
        this.openTimes = candles.stream().mapToLong(Candle::openTimeMillis).toArray();
    }

    public SeriesKey key() {
        return key;
    }

    public CandleInterval interval() {
        return key.interval();
    }

    public int size() {
        return candles.size();
    }

    public long firstOpenTime() {
        return openTimes[0];
    }

    public long lastOpenTime() {
        return openTimes[openTimes.length - 1];
    }

    /** The open time of the last candle plus one interval: the moment every recorded candle is closed. */
    public long endOfData() {
        return lastOpenTime() + interval().millis();
    }

    /** Candles with {@code from <= openTime <= to}, ascending; empty if the range is empty. */
    public List<Candle> between(long from, long to) {
        if (from > to) {
            return List.of();
        }
        int first = firstIndexAtOrAfter(from);
        int end = firstIndexAtOrAfter(to == Long.MAX_VALUE ? to : to + 1);
        return candles.subList(first, Math.max(first, end));
    }

    /** Number of holes in the series: places where consecutive open times are more than one interval apart. */
    public int gapCount() {
        int gaps = 0;
        for (int i = 1; i < openTimes.length; i++) {
            if (openTimes[i] - openTimes[i - 1] != interval().millis()) {
                gaps++;
            }
        }
        return gaps;
    }

    private int firstIndexAtOrAfter(long time) {
        int i = Arrays.binarySearch(openTimes, time);
        return i >= 0 ? i : -i - 1;
    }
}
