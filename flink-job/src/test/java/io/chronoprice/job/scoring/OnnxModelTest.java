package io.chronoprice.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.features.FeaturesV1;
import io.chronoprice.job.features.FeaturesV2;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxModelTest {

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2, ParityFixture.V3})
    void ortReproducesTrainingOutputsOnEveryFixtureWindow(String version) throws Exception {
        ParityFixture fixture = ParityFixture.load(version);
        try (OnnxModel model = OnnxModel.load(ParityFixture.model(version), "1m", 60)) {
            for (ParityFixture.Case c : fixture.cases()) {
                float[] input = new float[model.inputSize()];
                model.featureSpec().computeInto(c.window().candles(), input, 0);
                float[] q = model.score(input, 1)[0];
                for (int i = 0; i < 3; i++) {
                    assertThat((double) q[i]).as("%s output %d", c.symbol(), i).isCloseTo(c.outputs()[i], within(1e-5));
                }
                assertThat(q[0]).isLessThanOrEqualTo(q[1]);
                assertThat(q[1]).isLessThanOrEqualTo(q[2]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2, ParityFixture.V3})
    void batchScoringEqualsOneByOne(String version) throws Exception {
        List<ParityFixture.Case> cases = ParityFixture.load(version).cases();
        try (OnnxModel model = OnnxModel.load(ParityFixture.model(version), "1m", 0)) {
            int stride = model.inputSize();
            float[] batch = new float[cases.size() * stride];
            for (int i = 0; i < cases.size(); i++) {
                model.featureSpec().computeInto(cases.get(i).window().candles(), batch, i * stride);
            }
            float[][] together = model.score(batch, cases.size());
            for (int i = 0; i < cases.size(); i++) {
                float[] alone = model.score(Arrays.copyOfRange(batch, i * stride, (i + 1) * stride), 1)[0];
                assertThat(together[i]).containsExactly(alone, offset(1e-6f));
            }
        }
    }

    @Test
    void metadataDescribesBothShippedModels() {
        try (OnnxModel v1 = OnnxModel.load(ParityFixture.model(ParityFixture.V1), "1m", 0);
                OnnxModel v2 = OnnxModel.load(ParityFixture.model(ParityFixture.V2), "1m", 0)) {
            assertThat(v1.metadata().version()).isEqualTo(ParityFixture.V1);
            assertThat(v1.metadata().featureNames()).isEqualTo(FeaturesV1.NAMES);
            assertThat(v1.metadata().outputUnits()).isEqualTo("log_return");
            assertThat(v2.metadata().version()).isEqualTo(ParityFixture.V2);
            assertThat(v2.metadata().featureNames()).isEqualTo(FeaturesV2.NAMES);
            assertThat(v2.metadata().outputUnits()).isEqualTo("window_scale");
            for (OnnxModel m : List.of(v1, v2)) {
                assertThat(m.metadata().windowSize()).isEqualTo(60);
                assertThat(m.metadata().quantiles()).containsExactly(0.1, 0.5, 0.9);
            }
        }
    }

    @Test
    void theJarBundlesModelV3() {
        assertThat(ModelArtifact.BUNDLED).endsWith(ParityFixture.V3 + ".onnx");
    }

    @Test
    void modelForAnotherIntervalIsRefusedNamingFileAndMismatch() {
        assertThatThrownBy(() -> OnnxModel.load(ParityFixture.model(ParityFixture.V2), "5m", 0))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("lstm-1m-v2.onnx")
                .hasMessageContaining("trained on 1m candles but the job reads 5m");
    }

    @Test
    void aModelWhoseFeatureSpecTheJobLacksIsRefused() {
        Map<String, String> custom = new HashMap<>(v2Metadata());
        custom.put("feature_spec_version", "7");
        ModelMetadata m = ModelMetadata.parse(custom, "future.onnx");

        assertThatThrownBy(() -> m.checkCompatible("1m", 60, "future.onnx"))
                .isInstanceOf(ModelException.class)
                .hasMessage("future.onnx: feature spec 7 is not implemented by this job (it knows 1 and 2)");
    }

    @Test
    void aRegimeFreeSpecWithLogReturnOutputsIsRefused() {
        Map<String, String> custom = new HashMap<>(v2Metadata());
        custom.put("output_units", "log_return");
        ModelMetadata m = ModelMetadata.parse(custom, "mixed.onnx");

        assertThatThrownBy(() -> m.checkCompatible("1m", 60, "mixed.onnx"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("output units 'log_return' but feature spec 2 models output window_scale");
    }

    @Test
    void wrongWindowSizeIsRefused() {
        assertThatThrownBy(() -> OnnxModel.load(ParityFixture.model(ParityFixture.V1), "1m", 30))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("window size 60 but the job is configured for 30");
    }

    @Test
    void corruptModelIsRefusedNamingTheFile() {
        byte[] bytes = ParityFixture.model(ParityFixture.V2).bytes();
        ModelArtifact truncated = new ModelArtifact("truncated.onnx", Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> OnnxModel.load(truncated, "1m", 0))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("truncated.onnx: not a loadable ONNX model");
    }

    @Test
    void missingModelFileIsRefusedWithItsPath() {
        assertThatThrownBy(() -> ModelArtifact.fromFile(Path.of("no/such/model.onnx")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("Model file not found")
                .hasMessageContaining("no/such/model.onnx");
    }

    @Test
    void metadataWithoutChronoPriceKeysIsRefused() {
        assertThatThrownBy(() -> ModelMetadata.parse(Map.of("model_version", "x"), "foreign.onnx"))
                .isInstanceOf(ModelException.class)
                .hasMessage("foreign.onnx: ONNX metadata lacks 'window_size'; not a ChronoPrice model export?");
    }

    private static Map<String, String> v2Metadata() {
        try (OnnxModel v2 = OnnxModel.load(ParityFixture.model(ParityFixture.V2), "1m", 0)) {
            ModelMetadata m = v2.metadata();
            return Map.of(
                    "model_version", m.version(),
                    "window_size", String.valueOf(m.windowSize()),
                    "feature_names", String.join(",", m.featureNames()),
                    "quantiles", "0.1,0.5,0.9",
                    "feature_spec_version", m.featureSpecVersion(),
                    "interval", m.interval(),
                    "input_name", m.inputName(),
                    "output_name", m.outputName(),
                    "output_units", m.outputUnits());
        }
    }
}
