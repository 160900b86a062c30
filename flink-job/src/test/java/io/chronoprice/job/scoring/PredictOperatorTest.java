package io.chronoprice.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.features.WindowVolatility;
import io.chronoprice.job.registry.ModelStatus;
import io.chronoprice.job.registry.RegisteredModel;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.window.CandleWindow;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictOperatorTest {

    private static final List<ParityFixture.Case> WINDOWS =
            ParityFixture.load(ParityFixture.V2).cases();

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2})
    void eachWindowBecomesOneRawForecastOfTheNextCandleInLogReturns(String version) throws Exception {
        ParityFixture fixture = ParityFixture.load(version);
        List<ParityFixture.Case> cases = fixture.cases();
        try (var harness = harness(ParityFixture.snapshot(version))) {
            for (ParityFixture.Case c : cases) {
                harness.processElement1(new StreamRecord<>(c.window()));
            }

            List<RawForecast> forecasts = harness.extractOutputValues();
            assertThat(forecasts).hasSameSizeAs(cases);
            for (int i = 0; i < cases.size(); i++) {
                ParityFixture.Case c = cases.get(i);
                Candle last = c.window().last();
                double[] q = c.outputs();
                double unit = c.scale();
                RawForecast f = forecasts.get(i);
                assertThat(f.symbol()).isEqualTo(last.symbol());
                assertThat(f.targetOpenTimeMs()).isEqualTo(last.openTimeMs() + 60_000);
                assertThat(f.windowEndOpenTimeMs()).isEqualTo(last.openTimeMs());
                assertThat(f.modelVersion()).isEqualTo(version);
                assertThat(f.lastClose()).isEqualTo(last.close());
                assertThat(f.q10()).isCloseTo(q[0] * unit, within(1e-5 * unit));
                assertThat(f.q50()).isCloseTo(q[1] * unit, within(1e-5 * unit));
                assertThat(f.q90()).isCloseTo(q[2] * unit, within(1e-5 * unit));
                assertThat(f.scale())
                        .isEqualTo(WindowVolatility.scale(c.window().candles()));
                assertThat(f.rollingSigma())
                        .isEqualTo(WindowVolatility.rollingSigma(c.window().candles()));
                assertThat(f.ewmaSigma())
                        .isEqualTo(WindowVolatility.ewmaSigma(c.window().candles()));
            }
        }
    }

    @Test
    void aVersionAddedToTheRegistryScoresEveryFollowingWindowBesideTheChampion() throws Exception {
        try (var harness = harness(ParityFixture.snapshot(ParityFixture.V2))) {
            harness.processElement1(new StreamRecord<>(window(0)));
            harness.processElement2(new StreamRecord<>(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1)));
            harness.processElement1(new StreamRecord<>(window(1)));
            harness.processElement1(new StreamRecord<>(window(2)));

            assertThat(versions(harness))
                    .containsExactly(
                            ParityFixture.V2, ParityFixture.V2, ParityFixture.V1, ParityFixture.V2, ParityFixture.V1);
        }
    }

    @Test
    void corruptMismatchedOrTamperedVersionsAreRejectedAndTheOthersGoOn() throws Exception {
        byte[] v1 = ParityFixture.model(ParityFixture.V1).bytes();
        byte[] truncated = Arrays.copyOf(v1, v1.length / 2);
        RegisteredModel corrupt = new RegisteredModel(
                "corrupt", ModelStatus.CHALLENGER, new ModelArtifact("x", truncated).sha256(), truncated);
        RegisteredModel misnamed =
                new RegisteredModel("lstm-1m-v9", ModelStatus.CHALLENGER, new ModelArtifact("x", v1).sha256(), v1);
        RegisteredModel tampered = new RegisteredModel(ParityFixture.V1, ModelStatus.CHALLENGER, "0".repeat(64), v1);
        try (var harness = harness(ParityFixture.snapshot(ParityFixture.V2))) {
            harness.processElement2(new StreamRecord<>(new RegistrySnapshot(List.of(
                    ParityFixture.registered(ParityFixture.V2, ModelStatus.CHAMPION), corrupt, misnamed, tampered))));
            harness.processElement1(new StreamRecord<>(window(0)));
            harness.processElement1(new StreamRecord<>(window(1)));

            assertThat(versions(harness)).containsExactly(ParityFixture.V2, ParityFixture.V2);
        }
    }

    @Test
    void aRetiredVersionStopsBeingScoredAndNoChangeChangesNothing() throws Exception {
        try (var harness = harness(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1))) {
            harness.processElement1(new StreamRecord<>(window(0)));
            harness.processElement2(new StreamRecord<>(RegistrySnapshot.NO_CHANGE));
            harness.processElement1(new StreamRecord<>(window(1)));
            harness.processElement2(new StreamRecord<>(new RegistrySnapshot(List.of(
                    ParityFixture.registered(ParityFixture.V2, ModelStatus.CHAMPION),
                    ParityFixture.registered(ParityFixture.V1, ModelStatus.RETIRED)))));
            harness.processElement1(new StreamRecord<>(window(2)));

            assertThat(versions(harness))
                    .containsExactly(
                            ParityFixture.V2, ParityFixture.V1, ParityFixture.V2, ParityFixture.V1, ParityFixture.V2);
        }
    }

    @Test
    void aRestoredSubtaskScoresWithTheModelsOfItsBroadcastStateNotThoseItWasBuiltWith() throws Exception {
        OperatorSubtaskState snapshot;
        try (var first = harness(ParityFixture.snapshot(ParityFixture.V2))) {
            first.processElement2(new StreamRecord<>(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1)));
            snapshot = first.snapshot(1, 1);
        }
        assertThat(restoredVersions(snapshot)).containsExactly(ParityFixture.V2, ParityFixture.V1);
    }

    @Test
    void aSavepointOfTheEarlierBroadcastFunctionRestoresItsRegistry() throws Exception {
        // The scoring step used to be Flink's broadcast operator around a BroadcastProcessFunction that kept the
        // registry under REGISTRY_STATE's name and the key "current": a savepoint taken then must restore here.
        OperatorSubtaskState snapshot;
        try (var earlier = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(new KeepsRegistry(), List.of(PredictOperator.REGISTRY_STATE)),
                1,
                1,
                0)) {
            earlier.open();
            earlier.processBroadcastElement(
                    new StreamRecord<>(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1)));
            snapshot = earlier.snapshot(1, 1);
        }
        assertThat(restoredVersions(snapshot)).containsExactly(ParityFixture.V2, ParityFixture.V1);
    }

    @Test
    void windowsScoredInABatchGetTheForecastsTheyGetOneByOne() throws Exception {
        RegistrySnapshot both = ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1);
        List<RawForecast> single;
        try (var harness = harness(both, ScoreBatching.OFF)) {
            WINDOWS.forEach(c -> process(harness, c.window()));
            single = harness.extractOutputValues();
        }
        try (var harness = harness(both, new ScoreBatching(WINDOWS.size(), 5))) {
            WINDOWS.forEach(c -> process(harness, c.window()));
            List<RawForecast> batched = harness.extractOutputValues();

            assertThat(batched).hasSize(2 * WINDOWS.size()).hasSameSizeAs(single);
            for (int i = 0; i < single.size(); i++) {
                RawForecast one = single.get(i);
                RawForecast b = batched.get(i);
                assertThat(b.servingKey()).isEqualTo(one.servingKey());
                assertThat(b.targetOpenTimeMs()).isEqualTo(one.targetOpenTimeMs());
                // A batch may sum in another order inside ONNX Runtime: equal to float precision, not bit for bit.
                double tolerance = 1e-5 * one.scale();
                assertThat(b.q10()).isCloseTo(one.q10(), within(tolerance));
                assertThat(b.q50()).isCloseTo(one.q50(), within(tolerance));
                assertThat(b.q90()).isCloseTo(one.q90(), within(tolerance));
            }
        }
    }

    @Test
    void aFullBatchIsScoredAtOnceAndALoneWindowWhenItsWaitIsOver() throws Exception {
        try (var harness = harness(ParityFixture.snapshot(ParityFixture.V2), new ScoreBatching(3, 5))) {
            harness.setProcessingTime(1_000);
            IntStream.range(0, 4).forEach(i -> process(harness, window(i)));
            assertThat(harness.extractOutputValues()).hasSize(3);

            harness.setProcessingTime(1_004);
            assertThat(harness.extractOutputValues()).hasSize(3);
            harness.setProcessingTime(1_005);
            assertThat(targets(harness)).containsExactly(target(0), target(1), target(2), target(3));
        }
    }

    @Test
    void nothingOvertakesAPendingBatch() throws Exception {
        try (var harness = harness(ParityFixture.snapshot(ParityFixture.V2), new ScoreBatching(64, 1_000))) {
            process(harness, window(0));
            harness.processBothWatermarks(new Watermark(window(0).last().openTimeMs()));
            assertThat(harness.getOutput())
                    .as("a watermark leaves after the forecasts of the windows before it")
                    .hasSize(2)
                    .last()
                    .isInstanceOf(Watermark.class);

            process(harness, window(1));
            harness.processElement2(new StreamRecord<>(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1)));
            process(harness, window(2));
            // What a task does on a checkpoint barrier, in this order: the barrier then leaves before any later record.
            harness.prepareSnapshotPreBarrier(1);
            harness.snapshot(1, 1);
            assertThat(versions(harness))
                    .as("a window that came before a registry change is scored by the models it came to, and a"
                            + " checkpoint scores what is pending")
                    .containsExactly(ParityFixture.V2, ParityFixture.V2, ParityFixture.V2, ParityFixture.V1);

            process(harness, window(3));
            harness.endInput1();
            assertThat(targets(harness)).endsWith(target(3), target(3));
        }
    }

    /** Scores each window as it comes, as the registry tests above expect. */
    private static TwoInputStreamOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> harness(
            RegistrySnapshot initial) throws Exception {
        return harness(initial, ScoreBatching.OFF);
    }

    private static TwoInputStreamOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> harness(
            RegistrySnapshot initial, ScoreBatching batching) throws Exception {
        var harness = unopened(initial, batching);
        harness.open();
        return harness;
    }

    private static TwoInputStreamOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> unopened(
            RegistrySnapshot initial, ScoreBatching batching) throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(new PredictOperator(initial, "1m", 60, batching), 1, 1, 0);
    }

    /** The versions a subtask restored from {@code snapshot}, built with v2 alone, scores the first window with. */
    private static List<String> restoredVersions(OperatorSubtaskState snapshot) throws Exception {
        try (var restored = unopened(ParityFixture.snapshot(ParityFixture.V2), ScoreBatching.OFF)) {
            restored.initializeState(snapshot);
            restored.open();
            process(restored, window(0));
            return versions(restored);
        }
    }

    private static void process(
            TwoInputStreamOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> harness,
            CandleWindow window) {
        try {
            harness.processElement1(new StreamRecord<>(window, window.last().openTimeMs()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CandleWindow window(int i) {
        return WINDOWS.get(i).window();
    }

    private static long target(int i) {
        return window(i).last().openTimeMs() + 60_000;
    }

    private static List<String> versions(
            TwoInputStreamOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> harness) {
        return harness.extractOutputValues().stream()
                .map(RawForecast::modelVersion)
                .toList();
    }

    private static List<Long> targets(
            TwoInputStreamOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> harness) {
        return harness.extractOutputValues().stream()
                .map(RawForecast::targetOpenTimeMs)
                .toList();
    }

    /** What the earlier scoring function kept in broadcast state, and nothing else. */
    private static final class KeepsRegistry
            extends BroadcastProcessFunction<CandleWindow, RegistrySnapshot, RawForecast> {
        @Override
        public void processElement(CandleWindow window, ReadOnlyContext ctx, Collector<RawForecast> out) {}

        @Override
        public void processBroadcastElement(RegistrySnapshot snapshot, Context ctx, Collector<RawForecast> out)
                throws Exception {
            ctx.getBroadcastState(PredictOperator.REGISTRY_STATE).put("current", snapshot);
        }
    }
}
