package io.chronoprice.replay;

import io.chronoprice.common.series.CandleInterval;

/** Identifies one recorded series: a Binance symbol such as {@code BTCUSDT} at one interval. */
public record SeriesKey(String symbol, CandleInterval interval) {
    @Override
    public String toString() {
        return symbol + " " + interval.code();
    }
}
