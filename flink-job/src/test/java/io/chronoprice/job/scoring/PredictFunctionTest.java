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
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictFunctionTest {

    private static final List<ParityFixture.Case> WINDOWS =
            ParityFixture.load(ParityFixture.V2).cases();

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2})
    void eachWindowBecomesOneRawForecastOfTheNextCandleInLogReturns(String version) throws Exception {
        ParityFixture fixture = ParityFixture.load(version);
        List<ParityFixture.Case> cases = fixture.cases();
        try (var harness = harness(ParityFixture.snapshot(version))) {
            for (ParityFixture.Case c : cases) {
                harness.processElement(new StreamRecord<>(c.window()));
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
            harness.processElement(new StreamRecord<>(window(0)));
            harness.processBroadcastElement(
                    new StreamRecord<>(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1)));
            harness.processElement(new StreamRecord<>(window(1)));
            harness.processElement(new StreamRecord<>(window(2)));

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
            harness.processBroadcastElement(new StreamRecord<>(new RegistrySnapshot(List.of(
                    ParityFixture.registered(ParityFixture.V2, ModelStatus.CHAMPION), corrupt, misnamed, tampered))));
            harness.processElement(new StreamRecord<>(window(0)));
            harness.processElement(new StreamRecord<>(window(1)));

            assertThat(versions(harness)).containsExactly(ParityFixture.V2, ParityFixture.V2);
        }
    }

    @Test
    void aRetiredVersionStopsBeingScoredAndNoChangeChangesNothing() throws Exception {
        try (var harness = harness(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1))) {
            harness.processElement(new StreamRecord<>(window(0)));
            harness.processBroadcastElement(new StreamRecord<>(RegistrySnapshot.NO_CHANGE));
            harness.processElement(new StreamRecord<>(window(1)));
            harness.processBroadcastElement(new StreamRecord<>(new RegistrySnapshot(List.of(
                    ParityFixture.registered(ParityFixture.V2, ModelStatus.CHAMPION),
                    ParityFixture.registered(ParityFixture.V1, ModelStatus.RETIRED)))));
            harness.processElement(new StreamRecord<>(window(2)));

            assertThat(versions(harness))
                    .containsExactly(
                            ParityFixture.V2, ParityFixture.V1, ParityFixture.V2, ParityFixture.V1, ParityFixture.V2);
        }
    }

    @Test
    void aRestoredSubtaskScoresWithTheModelsOfItsBroadcastStateNotThoseItWasBuiltWith() throws Exception {
        OperatorSubtaskState snapshot;
        try (var first = harness(ParityFixture.snapshot(ParityFixture.V2))) {
            first.processBroadcastElement(
                    new StreamRecord<>(ParityFixture.snapshot(ParityFixture.V2, ParityFixture.V1)));
            snapshot = first.snapshot(1, 1);
        }
        try (var restored = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(
                        new PredictFunction(ParityFixture.snapshot(ParityFixture.V2), "1m", 60),
                        List.of(PredictFunction.REGISTRY_STATE)),
                1,
                1,
                0)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(window(0)));

            assertThat(versions(restored)).containsExactly(ParityFixture.V2, ParityFixture.V1);
        }
    }

    private static BroadcastOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> harness(
            RegistrySnapshot initial) throws Exception {
        var harness = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(
                        new PredictFunction(initial, "1m", 60), List.of(PredictFunction.REGISTRY_STATE)),
                1,
                1,
                0);
        harness.open();
        return harness;
    }

    private static CandleWindow window(int i) {
        return WINDOWS.get(i).window();
    }

    private static List<String> versions(BroadcastOperatorTestHarness<CandleWindow, RegistrySnapshot, RawForecast> h) {
        return h.extractOutputValues().stream().map(RawForecast::modelVersion).toList();
    }
}
