package io.chronoprice.rowcheck;

/** A candle as the exchange served it: what {@code candles} must hold, exactly (doubles compared bit for bit). */
public record SourceCandle(long openTimeMs, double open, double high, double low, double close, double volume) {}
