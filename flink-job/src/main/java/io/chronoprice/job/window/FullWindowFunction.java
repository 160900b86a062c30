package io.chronoprice.job.window;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;

/**
 * Turns the firings of {@code countWindow(n, 1)} into full windows of n consecutive candles.
 *
 * <p>A count window fires for its first n - 1 elements too, with partial windows, and Flink does not
 * promise element order inside a window, so candles are sorted by open time and partial windows dropped.
 * A window that spans a gap (a missing candle) is dropped as well: the model was trained on gap-free
 * windows only, so scoring across a gap would be scoring out of distribution. Predictions resume by
 * themselves once n consecutive candles follow the gap.
 */
public class FullWindowFunction extends ProcessWindowFunction<Candle, CandleWindow, String, GlobalWindow> {

    private static final Comparator<Candle> BY_OPEN_TIME = Comparator.comparingLong(Candle::openTimeMs);

    private final int size;
    private transient Counter partialWindows;
    private transient Counter gapWindows;

    public FullWindowFunction(int size) {
        this.size = size;
    }

    @Override
    public void open(OpenContext openContext) {
        partialWindows = getRuntimeContext().getMetricGroup().counter("windowsPartialDropped");
        gapWindows = getRuntimeContext().getMetricGroup().counter("windowsAcrossGapDropped");
    }

    @Override
    public void process(String key, Context context, Iterable<Candle> elements, Collector<CandleWindow> out) {
        List<Candle> candles = sortedByOpenTime(elements);
        if (candles.size() < size) {
            partialWindows.inc();
        } else if (spansGap(candles)) {
            gapWindows.inc();
        } else {
            out.collect(new CandleWindow(candles.toArray(new Candle[0])));
        }
    }

    static List<Candle> sortedByOpenTime(Iterable<Candle> elements) {
        List<Candle> candles = new ArrayList<>();
        elements.forEach(candles::add);
        candles.sort(BY_OPEN_TIME);
        return candles;
    }

    /** True if any two neighbours are not one interval apart; expects candles sorted by open time. */
    static boolean spansGap(List<Candle> candles) {
        long step = CandleInterval.fromCode(candles.get(0).interval()).millis();
        for (int i = 1; i < candles.size(); i++) {
            if (candles.get(i).openTimeMs() - candles.get(i - 1).openTimeMs() != step) {
                return true;
            }
        }
        return false;
    }
}
