package io.chronoprice.job.window;

import io.chronoprice.job.candle.Candle;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A full window of consecutive candles of one series, oldest first: what one prediction is made from. */
@TypeInfo(CandleWindowTypeInfo.Factory.class)
public record CandleWindow(Candle[] candles) {

    public Candle last() {
        return candles[candles.length - 1];
    }
}
