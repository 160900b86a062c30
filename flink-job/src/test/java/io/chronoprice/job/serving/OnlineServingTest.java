package io.chronoprice.job.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.RawForecast;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The online layers in the job equal {@code models/online.py} on real sequences (the fixture), and their state
 * is Flink keyed state that survives a snapshot and restore.
 */
class OnlineServingTest {

    private static final JsonNode FIXTURE = load();

    @Test
    void theJobServesExactlyWhatOnlinePyServesOnEveryFixtureSequence() throws Exception {
        for (JsonNode sequence : FIXTURE.get("sequences")) {
            List<RawForecast> raw = rawForecasts(sequence);
            List<Prediction> served = run(raw, params(sequence), raw.size(), null);
            JsonNode steps = sequence.get("steps");
            assertThat(served).hasSize(steps.size());
            for (int i = 0; i < served.size(); i++) {
                Prediction p = served.get(i);
                JsonNode expected = steps.get(i).get("served");
                double last = steps.get(i).get("last_close").asDouble();
                String at = sequence.get("symbol").asText() + " step " + i;
                assertThat(Math.log(p.lowerClose() / last))
                        .as(at)
                        .isCloseTo(expected.get(0).asDouble(), within(1e-9));
                assertThat(Math.log(p.predictedClose() / last))
                        .as(at)
                        .isCloseTo(expected.get(1).asDouble(), within(1e-9));
                assertThat(Math.log(p.upperClose() / last))
                        .as(at)
                        .isCloseTo(expected.get(2).asDouble(), within(1e-9));
                assertThat(p.guardWeight()).as(at).isCloseTo(expected.get(3).asDouble(), within(1e-9));
            }
        }
    }

    @Test
    void stateRestoredFromASnapshotContinuesExactlyWhereItStopped() throws Exception {
        JsonNode sequence = FIXTURE.get("sequences").get(1);
        List<RawForecast> raw = rawForecasts(sequence);
        ServingParams params = params(sequence);
        List<Prediction> uninterrupted = run(raw, params, raw.size(), null);

        List<Prediction> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var first = harness(params)) {
            first.open();
            for (RawForecast f : raw.subList(0, 700)) {
                first.processElement(new StreamRecord<>(f));
            }
            resumed.addAll(first.extractOutputValues());
            snapshot = first.snapshot(1, 1);
        }
        resumed.addAll(run(raw.subList(700, raw.size()), params, raw.size() - 700, snapshot));

        assertThat(resumed).containsExactlyElementsOf(uninterrupted);
        // Both layers have learned something by the snapshot, so a reset would show after it.
        assertThat(uninterrupted.subList(0, 700)).anyMatch(p -> p.guardWeight() > 0);
        assertThat(uninterrupted.get(700).calibrationLower()).isNotZero();
        assertThat(uninterrupted.get(700).calibrationUpper()).isNotZero();
    }

    @Test
    void eachModelVersionKeepsItsOwnRecord() throws Exception {
        JsonNode sequence = FIXTURE.get("sequences").get(1);
        List<RawForecast> raw = rawForecasts(sequence);
        try (var h = harness(params(sequence))) {
            h.open();
            for (RawForecast f : raw.subList(0, 300)) {
                h.processElement(new StreamRecord<>(f));
                h.processElement(new StreamRecord<>(withVersion(f, "noise")));
            }
            List<Prediction> out = h.extractOutputValues();
            List<Prediction> model =
                    out.stream().filter(p -> !p.modelVersion().equals("noise")).toList();
            assertThat(model).containsExactlyElementsOf(run(raw.subList(0, 300), params(sequence), 300, null));
        }
    }

    private static List<Prediction> run(
            List<RawForecast> raw, ServingParams params, int count, OperatorSubtaskState restoreFrom) throws Exception {
        try (var h = harness(params)) {
            if (restoreFrom != null) {
                h.initializeState(restoreFrom);
            }
            h.open();
            for (RawForecast f : raw.subList(0, count)) {
                h.processElement(new StreamRecord<>(f));
            }
            return h.extractOutputValues();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RawForecast, Prediction> harness(ServingParams params)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ServeFunction(params)), RawForecast::servingKey, Types.STRING);
    }

    private static ServingParams params(JsonNode sequence) {
        JsonNode p = sequence.get("params");
        return new ServingParams(
                p.get("gamma").asDouble(),
                p.get("eta").asDouble(),
                p.get("horizon").asDouble(),
                p.get("threshold").asDouble());
    }

    private static List<RawForecast> rawForecasts(JsonNode sequence) {
        List<RawForecast> raw = new ArrayList<>();
        for (JsonNode s : sequence.get("steps")) {
            JsonNode q = s.get("raw");
            raw.add(new RawForecast(
                    "binance",
                    sequence.get("symbol").asText(),
                    "1m",
                    s.get("window_end_open_time").asLong(),
                    s.get("target_open_time").asLong(),
                    FIXTURE.get("model_version").asText(),
                    s.get("last_close").asDouble(),
                    q.get(0).asDouble(),
                    q.get(1).asDouble(),
                    q.get(2).asDouble(),
                    s.get("scale").asDouble(),
                    0,
                    0,
                    0));
        }
        return raw;
    }

    /** Another version's forecast of the same window: wider and with the median turned around. */
    private static RawForecast withVersion(RawForecast f, String version) {
        return f.withModelVersion(version).withQuantiles(f.q10() * 3, -f.q50() * 5, f.q90() * 3);
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper()
                    .readTree(ParityFixture.MODELS_DIR
                            .resolve("fixtures/online-serving.json")
                            .toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
