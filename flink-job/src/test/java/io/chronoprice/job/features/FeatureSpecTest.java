package io.chronoprice.job.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.job.ParityFixture;
import org.junit.jupiter.api.Test;

class WindowFeaturesTest {

    private static final ParityFixture FIXTURE = ParityFixture.load();

    @Test
    void javaFeaturesEqualTrainingFeaturesOnEveryFixtureWindow() {
        assertThat(FIXTURE.cases()).hasSizeGreaterThanOrEqualTo(20);
        for (ParityFixture.Case c : FIXTURE.cases()) {
            double[][] features = WindowFeatures.compute(c.window().candles());
            assertThat(features).hasDimensions(FIXTURE.windowSize(), WindowFeatures.COUNT);
            for (int t = 0; t < features.length; t++) {
                for (int f = 0; f < WindowFeatures.COUNT; f++) {
                    assertThat(features[t][f])
                            .as("%s candle %d feature %s", c.symbol(), t, WindowFeatures.NAMES.get(f))
                            .isCloseTo(c.features()[t][f], within(1e-6));
                }
            }
        }
    }

    @Test
    void tensorLayoutIsRowMajorCandleThenFeature() {
        ParityFixture.Case c = FIXTURE.cases().get(0);
        float[] tensor = new float[3 + FIXTURE.windowSize() * WindowFeatures.COUNT];

        WindowFeatures.computeInto(c.window().candles(), tensor, 3);

        assertThat(tensor[3 + 7 * WindowFeatures.COUNT + 2]).isEqualTo((float) c.features()[7][2]);
        assertThat(tensor[tensor.length - 1]).isEqualTo((float) c.features()[FIXTURE.windowSize() - 1][4]);
    }

    @Test
    void javaComputesTheFeaturesTrainingNamesInTheSameOrder() {
        assertThat(WindowFeatures.NAMES).isEqualTo(FIXTURE.featureNames());
    }
}
