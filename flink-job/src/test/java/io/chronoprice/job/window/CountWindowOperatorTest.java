package io.chronoprice.job.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.DemoData;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;
import org.apache.flink.streaming.api.windowing.evictors.CountEvictor;
import org.apache.flink.streaming.api.windowing.triggers.CountTrigger;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link FullWindowFunction#process} inside the operator {@code countWindow(60, 1)} builds (global windows, a
 * count trigger of 1 and a count evictor of 60), fed real candles of two series interleaved: exactly one full
 * window per candle that has 59 consecutive predecessors, none across a gap, none before the 60th candle.
 */
class CountWindowOperatorTest {

    private static final int SIZE = 60;

    @Test
    void eachCandleAfterTheFiftyNinthGivesOneFullWindowOfItsOwnSeries() throws Exception {
        List<Candle> btc = DemoData.binance("BTCUSDT").subList(0, 90);
        List<Candle> eth = DemoData.binance("ETHUSDT").subList(0, 75);

        List<CandleWindow> windows = run(interleave(btc, eth));

        assertThat(windows).hasSize((90 - 59) + (75 - 59));
        for (CandleWindow w : windows) {
            assertThat(w.candles()).hasSize(SIZE);
            assertThat(w.candles())
                    .extracting(Candle::symbol)
                    .containsOnly(w.last().symbol());
            assertThat(FullWindowFunction.spansGap(w.candles())).isFalse();
        }
        assertThat(windows.stream()
                        .filter(w -> w.last().symbol().equals("BTCUSDT"))
                        .map(CandleWindow::last))
                .containsExactlyElementsOf(btc.subList(59, 90));
    }

    @Test
    void noWindowSpansAMissingCandleAndWindowsResumeSixtyCandlesAfterIt() throws Exception {
        List<Candle> candles = new ArrayList<>(DemoData.binance("BTCUSDT").subList(0, 200));
        candles.remove(100); // the candle opening at minute 100 never came

        List<CandleWindow> windows = run(candles);

        // Full windows end at candles 59..99, then again from the 60th candle after the gap (minute 160) on.
        assertThat(windows)
                .extracting(w -> (w.last().openTimeMs() - candles.get(0).openTimeMs()) / 60_000L)
                .containsExactlyElementsOf(rangeClosed(59, 99, 160, 199));
    }

    private static List<CandleWindow> run(List<Candle> candles) throws Exception {
        WindowOperatorBuilder<Candle, String, GlobalWindow> builder = new WindowOperatorBuilder<>(
                GlobalWindows.create(),
                CountTrigger.of(1),
                new ExecutionConfig(),
                TypeInformation.of(Candle.class),
                Candle::seriesKey,
                Types.STRING);
        builder.evictor(CountEvictor.of(SIZE));
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                builder.process(new FullWindowFunction(SIZE)), Candle::seriesKey, Types.STRING)) {
            harness.open();
            for (Candle c : candles) {
                harness.processElement(new StreamRecord<>(c, c.openTimeMs()));
            }
            return harness.extractOutputValues();
        }
    }

    private static List<Candle> interleave(List<Candle> a, List<Candle> b) {
        List<Candle> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                out.add(a.get(i));
            }
            if (i < b.size()) {
                out.add(b.get(i));
            }
        }
        return out;
    }

    private static List<Long> rangeClosed(long from1, long to1, long from2, long to2) {
        List<Long> values = new ArrayList<>();
        for (long i = from1; i <= to1; i++) {
            values.add(i);
        }
        for (long i = from2; i <= to2; i++) {
            values.add(i);
        }
        return values;
    }
}
