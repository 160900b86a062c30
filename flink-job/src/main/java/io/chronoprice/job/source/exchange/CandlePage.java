package io.chronoprice.job.source.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronoprice.job.candle.Candle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of one page being read, whatever the exchange: valid candles keyed by open time, so that they come
 * out oldest first however the exchange ordered them, and so that a second row for an open time is either the
 * same candle again (dropped) or a conflicting one (rejected and counted, the first kept); and the rejections.
 */
final class CandlePage {

    private final Map<Long, Candle> candles = new TreeMap<>();
    private final List<Rejection> rejections = new ArrayList<>();

    /** {@code row} is the exchange's row, rendered only for a rejection: most pages have none. */
    void accept(Candle candle, JsonNode row) {
        Candle earlier = candles.putIfAbsent(candle.openTimeMs(), candle);
        if (earlier != null && !earlier.equals(candle)) {
            rejections.add(new Rejection(RejectReason.CONFLICTING_DUPLICATE, row.toString()));
        }
    }

    void reject(RejectReason reason, String detail) {
        rejections.add(new Rejection(reason, detail));
    }

    /** Valid candles, ascending by open time. */
    List<Candle> candles() {
        return new ArrayList<>(candles.values());
    }

    List<Rejection> rejections() {
        return rejections;
    }
}
