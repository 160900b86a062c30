package io.chronoprice.replay;

/** Identifies one recorded series: a Binance symbol such as {@code BTCUSDT} at one interval. */
public record SeriesKey(String symbol, Interval interval) {
    @Override
    public String toString() {
        return symbol + " " + interval.code();
    }
}
