package io.chronoprice.job.window;

import io.chronoprice.job.candle.Candle;

/** A full window of consecutive candles of one series, oldest first: what one prediction is made from. */
public record CandleWindow(Candle[] candles) {

    public Candle last() {
        return candles[candles.length - 1];
    }
}
