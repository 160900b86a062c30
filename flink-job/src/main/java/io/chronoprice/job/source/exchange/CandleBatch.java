package io.chronoprice.job.source.exchange;

import io.chronoprice.job.candle.Candle;
import java.util.List;

/**
 * One page of a series as an exchange served it.
 *
 * @param candles the valid closed candles of the page, ascending by open time, with {@code missingBefore = 0}
 * @param rejections the rows of the page that failed validation
 * @param nextFromMs where the next page starts: every closed candle opening before it has been served
 * @param upToDate whether the page reached the exchange's server time, i.e. no further closed candle exists yet
 * @param usedWeight the request weight the exchange reports as used in the current minute, or -1 if not reported
 */
public record CandleBatch(
        List<Candle> candles, List<Rejection> rejections, long nextFromMs, boolean upToDate, int usedWeight) {

    public CandleBatch {
        candles = List.copyOf(candles);
        rejections = List.copyOf(rejections);
    }
}
