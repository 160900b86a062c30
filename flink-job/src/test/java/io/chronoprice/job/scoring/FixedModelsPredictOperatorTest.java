package io.chronoprice.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.window.CandleWindow;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FixedModelsPredictOperatorTest {

    private static final List<CandleWindow> WINDOWS = ParityFixture.load(ParityFixture.V2).cases().stream()
            .map(ParityFixture.Case::window)
            .toList();
    private static final RegistrySnapshot BOTH = ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1);
    private static final ScoreBatching BATCHING = new ScoreBatching(4, 1_000);

    @Test
    void givesTheForecastsOfTheOperatorWithARegistryInput() throws Exception {
        List<RawForecast> withRegistry;
        try (var harness =
                new TwoInputStreamOperatorTestHarness<>(new PredictOperator(BOTH, "1m", 60, BATCHING), 1, 1, 0)) {
            harness.open();
            for (CandleWindow w : WINDOWS) {
                harness.processElement1(record(w));
            }
            harness.endInput1();
            withRegistry = harness.extractOutputValues();
        }
        try (var harness = fixed()) {
            for (CandleWindow w : WINDOWS) {
                harness.processElement(record(w));
            }
            harness.endInput();

            assertThat(harness.extractOutputValues())
                    .hasSize(2 * WINDOWS.size())
                    // The time each was made at is the only difference.
                    .usingRecursiveFieldByFieldElementComparatorIgnoringFields("createdAtMs")
                    .containsExactlyElementsOf(withRegistry);
        }
    }

    @Test
    void aPendingBatchLeavesBeforeAWatermarkAndAtTheEndOfInput() throws Exception {
        try (var harness = fixed()) {
            harness.processElement(record(WINDOWS.get(0)));
            assertThat(harness.getOutput())
                    .as("a batch of 4 waits for more windows")
                    .isEmpty();

            harness.processWatermark(new Watermark(WINDOWS.get(0).last().openTimeMs()));
            assertThat(harness.getOutput())
                    .as("both versions' forecasts of the window, then the watermark")
                    .hasSize(3)
                    .last()
                    .isInstanceOf(Watermark.class);

            harness.processElement(record(WINDOWS.get(1)));
            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .extracting(RawForecast::targetOpenTimeMs)
                    .endsWith(target(1), target(1));
        }
    }

    private static OneInputStreamOperatorTestHarness<CandleWindow, RawForecast> fixed() throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new FixedModelsPredictOperator(BOTH, "1m", 60, BATCHING));
        harness.open();
        return harness;
    }

    private static StreamRecord<CandleWindow> record(CandleWindow window) {
        return new StreamRecord<>(window, window.last().openTimeMs());
    }

    private static long target(int i) {
        return WINDOWS.get(i).last().openTimeMs() + 60_000;
    }
}
