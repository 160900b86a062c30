package io.chronoprice.job.window;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import java.util.Arrays;
import java.util.Comparator;
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
        Candle[] candles = sortedByOpenTime(elements, size);
        if (candles.length < size) {
            partialWindows.inc();
        } else if (spansGap(candles)) {
            gapWindows.inc();
        } else {
            out.collect(new CandleWindow(candles));
        }
    }

    /**
     * The window's candles, oldest first, in an array of their own (the window's state keeps its list). They almost
     * always arrive in order, so they are sorted only when one is not: this runs for every candle of every series.
     */
    static Candle[] sortedByOpenTime(Iterable<Candle> elements, int expected) {
        Candle[] candles = new Candle[Math.max(expected, 1)];
        int n = 0;
        boolean ordered = true;
        for (Candle c : elements) {
            if (n == candles.length) {
                candles = Arrays.copyOf(candles, 2 * n);
            }
            ordered &= n == 0 || candles[n - 1].openTimeMs() <= c.openTimeMs();
            candles[n++] = c;
        }
        if (n < candles.length) {
            candles = Arrays.copyOf(candles, n);
        }
        if (!ordered) {
            Arrays.sort(candles, BY_OPEN_TIME);
        }
        return candles;
    }

    /** True if any two neighbours are not one interval apart; expects candles sorted by open time. */
    static boolean spansGap(Candle[] candles) {
        long step = CandleInterval.fromCode(candles[0].interval()).millis();
        for (int i = 1; i < candles.length; i++) {
            if (candles[i].openTimeMs() - candles[i - 1].openTimeMs() != step) {
                return true;
            }
        }
        return false;
    }
}
