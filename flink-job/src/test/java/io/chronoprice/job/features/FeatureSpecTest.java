package io.chronoprice.job.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Train/serve parity: Java computes every feature spec exactly as {@code models/features.py} does. */
class FeatureSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2, ParityFixture.V3})
    void javaFeaturesEqualTrainingFeaturesOnEveryFixtureWindow(String modelVersion) {
        ParityFixture fixture = ParityFixture.load(modelVersion);
        FeatureSpec spec = FeatureSpec.forVersion(fixture.featureSpecVersion());
        assertThat(fixture.cases()).hasSizeGreaterThanOrEqualTo(20);
        for (ParityFixture.Case c : fixture.cases()) {
            double[][] features = spec.compute(c.window().candles());
            assertThat(features).hasDimensions(fixture.windowSize(), spec.count());
            for (int t = 0; t < features.length; t++) {
                for (int f = 0; f < spec.count(); f++) {
                    assertThat(features[t][f])
                            .as(
                                    "%s %s candle %d feature %s",
                                    modelVersion, c.symbol(), t, spec.names().get(f))
                            .isCloseTo(c.features()[t][f], within(1e-6));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2, ParityFixture.V3})
    void outputUnitIsTheWindowScaleTrainingUsed(String modelVersion) {
        ParityFixture fixture = ParityFixture.load(modelVersion);
        FeatureSpec spec = FeatureSpec.forVersion(fixture.featureSpecVersion());
        for (ParityFixture.Case c : fixture.cases()) {
            float[] tensor = new float[fixture.windowSize() * spec.count()];
            double unit = spec.computeInto(c.window().candles(), tensor, 0);
            assertThat(unit).as("%s %s", modelVersion, c.symbol()).isCloseTo(c.scale(), within(c.scale() * 1e-12));
        }
    }

    @Test
    void baselineSigmasEqualTheEvaluationsOnEveryFixtureWindow() {
        for (ParityFixture.Case c : ParityFixture.load(ParityFixture.V2).cases()) {
            Candle[] window = c.window().candles();
            assertThat(WindowVolatility.rollingSigma(window))
                    .isCloseTo(c.rollingSigma(), within(c.rollingSigma() * 1e-9));
            assertThat(WindowVolatility.ewmaSigma(window)).isCloseTo(c.ewmaSigma(), within(c.ewmaSigma() * 1e-9));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2, ParityFixture.V3})
    void tensorLayoutIsRowMajorCandleThenFeature(String modelVersion) {
        ParityFixture fixture = ParityFixture.load(modelVersion);
        FeatureSpec spec = FeatureSpec.forVersion(fixture.featureSpecVersion());
        ParityFixture.Case c = fixture.cases().get(0);
        float[] tensor = new float[3 + fixture.windowSize() * spec.count()];

        spec.computeInto(c.window().candles(), tensor, 3);

        assertThat(tensor[3 + 7 * spec.count() + 2]).isEqualTo((float) c.features()[7][2]);
        assertThat(tensor[tensor.length - 1])
                .isEqualTo((float) c.features()[fixture.windowSize() - 1][spec.count() - 1]);
    }

    /** The job scores from {@code computeInto}; spec 2's own is checked against {@code compute} bit by bit. */
    @Test
    void theModelInputEqualsTheFeaturesCastToFloatToTheBitAndComesWithTheScale() {
        List<Candle[]> windows = new ArrayList<>();
        ParityFixture.load(ParityFixture.V3)
                .cases()
                .forEach(c -> windows.add(c.window().candles()));
        windows.add(flatWindow());
        // Across midnight on a Sunday, so the day, week and hour terms all wrap inside the window.
        Candle[] sundayMidnight = new Candle[60];
        for (int t = 0; t < 60; t++) {
            double p = 100 + Math.sin(t);
            sundayMidnight[t] = new Candle(
                    "binance", "X", "1m", 1_751_846_400_000L + (t - 30) * 60_000L, p, p + 0.5, p - 0.5, p + 0.1, t, 0);
        }
        windows.add(sundayMidnight);

        for (Candle[] window : windows) {
            double[][] reference = FeaturesV2.INSTANCE.compute(window);
            float[] tensor = new float[1 + window.length * FeaturesV2.NAMES.size()];
            double scale = FeaturesV2.INSTANCE.computeInto(window, tensor, 1);

            assertThat(scale).isEqualTo(WindowVolatility.scale(window));
            int i = 1;
            for (double[] row : reference) {
                for (double value : row) {
                    assertThat(tensor[i]).as("value %d", i++).isEqualTo((float) value);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2, ParityFixture.V3})
    void javaComputesTheFeaturesTrainingNamesInTheSameOrder(String modelVersion) {
        ParityFixture fixture = ParityFixture.load(modelVersion);
        assertThat(FeatureSpec.forVersion(fixture.featureSpecVersion()).names()).isEqualTo(fixture.featureNames());
    }

    @Test
    void aWindowWhereNothingMovedHasScaleZeroAndZeroPriceFeatures() {
        Candle[] flat = flatWindow();
        double[][] features = FeaturesV2.INSTANCE.compute(flat);

        assertThat(WindowVolatility.scale(flat)).isZero();
        assertThat(features[59]).startsWith(0.0, 0.0, 0.0, 0.0);
        assertThat(features[59][4]).as("no volume at all").isZero();
    }

    @Test
    void calendarTermsFollowUtcMinuteOfDayDayOfWeekAndMinuteOfHour() {
        // 2025-07-07 was a Monday; at 06:15 UTC the day is 375 of 1440 minutes old and the hour a quarter.
        long monday0615 = 1_751_868_900_000L;
        Candle[] window = new Candle[60];
        for (int t = 0; t < 60; t++) {
            window[t] = new Candle("binance", "X", "1m", monday0615 - (59 - t) * 60_000L, 1, 1.1, 0.9, 1, 1, 0);
        }
        double[] last = FeaturesV2.INSTANCE.compute(window)[59];

        assertThat(last[5]).as("day sin").isCloseTo(Math.sin(2 * Math.PI * 375 / 1440), within(1e-12));
        assertThat(last[6]).as("day cos").isCloseTo(Math.cos(2 * Math.PI * 375 / 1440), within(1e-12));
        assertThat(last[7]).as("week sin of Monday").isCloseTo(0.0, within(1e-12));
        assertThat(last[8]).as("week cos of Monday").isCloseTo(1.0, within(1e-12));
        assertThat(last[9]).as("hour sin at :15").isCloseTo(1.0, within(1e-12));
        assertThat(last[10]).as("hour cos at :15").isCloseTo(0.0, within(1e-12));
    }

    private static Candle[] flatWindow() {
        Candle[] flat = new Candle[60];
        for (int t = 0; t < flat.length; t++) {
            flat[t] = new Candle("binance", "X", "1m", 1_700_000_000_000L + t * 60_000L, 2, 2, 2, 2, 0, 0);
        }
        return flat;
    }

    @Test
    void anUnknownSpecIsNamed() {
        assertThatThrownBy(() -> FeatureSpec.forVersion("9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature spec 9 is not implemented");
    }
}
