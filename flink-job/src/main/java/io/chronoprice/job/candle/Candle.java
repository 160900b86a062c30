package io.chronoprice.job.candle;

import io.chronoprice.common.series.SeriesId;

/**
 * One closed OHLCV candle as the source emits it. {@code missingBefore} is the number of candles the
 * exchange did not serve between the previous emitted candle of the same series and this one: gaps are
 * marked, never filled, so that no window is ever scored across one.
 */
public record Candle(
        String exchange,
        String symbol,
        String interval,
        long openTimeMs,
        double open,
        double high,
        double low,
        double close,
        double volume,
        int missingBefore) {

    /** This candle filed under another exchange name, e.g. a backtest run's label. */
    public Candle withExchange(String label) {
        return new Candle(label, symbol, interval, openTimeMs, open, high, low, close, volume, missingBefore);
    }

    /** The key of the series this candle belongs to: exchange, symbol and interval. */
    public String seriesKey() {
        return SeriesId.key(exchange, symbol, interval);
    }
}
