package io.chronoprice.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.features.WindowFeatures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxModelTest {

    private static final ParityFixture FIXTURE = ParityFixture.load();

    @Test
    void ortReproducesTrainingOutputsOnEveryFixtureWindow() throws Exception {
        try (OnnxModel model = OnnxModel.load(ParityFixture.model(), "1m", 60)) {
            for (ParityFixture.Case c : FIXTURE.cases()) {
                float[] input = new float[FIXTURE.windowSize() * WindowFeatures.COUNT];
                WindowFeatures.computeInto(c.window().candles(), input, 0);
                float[] q = model.score(input, 1)[0];
                for (int i = 0; i < 3; i++) {
                    assertThat((double) q[i]).as("%s output %d", c.symbol(), i).isCloseTo(c.outputs()[i], within(1e-5));
                }
                assertThat(q[0]).isLessThanOrEqualTo(q[1]);
                assertThat(q[1]).isLessThanOrEqualTo(q[2]);
            }
        }
    }

    @Test
    void batchScoringEqualsOneByOne() throws Exception {
        List<ParityFixture.Case> cases = FIXTURE.cases();
        int stride = FIXTURE.windowSize() * WindowFeatures.COUNT;
        float[] batch = new float[cases.size() * stride];
        for (int i = 0; i < cases.size(); i++) {
            WindowFeatures.computeInto(cases.get(i).window().candles(), batch, i * stride);
        }
        try (OnnxModel model = OnnxModel.load(ParityFixture.model(), "1m", 0)) {
            float[][] together = model.score(batch, cases.size());
            for (int i = 0; i < cases.size(); i++) {
                float[] alone = model.score(Arrays.copyOfRange(batch, i * stride, (i + 1) * stride), 1)[0];
                assertThat(together[i]).containsExactly(alone, offset(1e-6f));
            }
        }
    }

    @Test
    void metadataDescribesTheShippedModel() {
        try (OnnxModel model = OnnxModel.load(ParityFixture.model(), "1m", 0)) {
            ModelMetadata m = model.metadata();
            assertThat(m.version()).isEqualTo(FIXTURE.modelVersion());
            assertThat(m.windowSize()).isEqualTo(FIXTURE.windowSize());
            assertThat(m.featureNames()).isEqualTo(WindowFeatures.NAMES);
            assertThat(m.quantiles()).containsExactly(0.1, 0.5, 0.9);
        }
    }

    @Test
    void modelForAnotherIntervalIsRefusedNamingFileAndMismatch() {
        assertThatThrownBy(() -> OnnxModel.load(ParityFixture.model(), "5m", 0))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("lstm-1m-v1.onnx")
                .hasMessageContaining("trained on 1m candles but the job reads 5m");
    }

    @Test
    void wrongWindowSizeIsRefused() {
        assertThatThrownBy(() -> OnnxModel.load(ParityFixture.model(), "1m", 30))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("window size 60 but the job is configured for 30");
    }

    @Test
    void corruptModelIsRefusedNamingTheFile() {
        byte[] bytes = ParityFixture.model().bytes();
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
}
