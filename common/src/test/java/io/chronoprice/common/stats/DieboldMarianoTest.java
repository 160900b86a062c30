package io.chronoprice.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DieboldMarianoTest {

    @Test
    void smallSampleMatchesTheHandComputation() {
        // n = 4 -> 1 Newey-West lag; mean 2.5; gamma0 = 1.25; gamma1 = 0.3125; long-run variance
        // 1.25 + 2 x 0.5 x 0.3125 = 1.5625; statistic 2.5 / sqrt(1.5625 / 4) = 4.
        DieboldMariano.Result r = DieboldMariano.test(new double[] {1, 2, 3, 4});

        assertThat(r.lags()).isEqualTo(1);
        assertThat(r.meanDifference()).isEqualTo(2.5);
        assertThat(r.statistic()).isCloseTo(4.0, within(1e-12));
        assertThat(r.pValue()).isCloseTo(6.334e-5, within(1e-7));
    }

    @Test
    void autocovariancesStopAtTheBoundaryBetweenSeries() {
        DieboldMariano.Result joined = DieboldMariano.test(new double[] {1, 2, 3, 4});
        DieboldMariano.Result split = DieboldMariano.test(List.of(new double[] {1, 2}, new double[] {3, 4}));

        assertThat(split.meanDifference()).isEqualTo(joined.meanDifference());
        // gamma1 without the (3 - 2.5)(2 - 2.5) cross term: (0.75 + 0.75) / 4.
        double variance = 1.25 + 2 * 0.5 * 0.375;
        assertThat(split.statistic()).isCloseTo(2.5 / Math.sqrt(variance / 4), within(1e-12));
    }

    @Test
    void aClearlyBetterForecastIsSignificantAndTheSignFollowsTheOrder() {
        Random random = new Random(1);
        double[] d = new double[2000];
        for (int i = 0; i < d.length; i++) {
            d[i] = -0.1 + random.nextGaussian();
        }
        double[] reversed = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            reversed[i] = -d[i];
        }

        DieboldMariano.Result r = DieboldMariano.test(d);

        assertThat(r.aBetterAt(0.05)).isTrue();
        assertThat(r.pValue()).isLessThan(1e-3);
        assertThat(DieboldMariano.test(reversed).statistic()).isCloseTo(-r.statistic(), within(1e-9));
        assertThat(DieboldMariano.test(reversed).aBetterAt(0.05)).isFalse();
    }

    @Test
    void autocorrelatedDifferencesWithNoEdgeAreRejectedAboutFivePercentOfTheTime() {
        // AR(1) loss differences with phi 0.5, as minute forecasts produce: an iid variance would reject about 20 %
        // of the time; the Newey-West variance brings the test close to its nominal 5 %.
        Random random = new Random(11);
        int rejections = 0;
        int naiveRejections = 0;
        int trials = 2000;
        for (int trial = 0; trial < trials; trial++) {
            double[] d = new double[1000];
            double previous = 0;
            for (int t = 0; t < d.length; t++) {
                previous = 0.5 * previous + random.nextGaussian();
                d[t] = previous;
            }
            if (DieboldMariano.test(d).pValue() < 0.05) {
                rejections++;
            }
            if (Math.abs(iidStatistic(d)) > Wilson.Z95) {
                naiveRejections++;
            }
        }
        assertThat(rejections / (double) trials).isBetween(0.04, 0.10);
        assertThat(naiveRejections / (double) trials).isGreaterThan(0.15);
    }

    @Test
    void tooFewOrConstantDifferencesGiveNoStatistic() {
        assertThat(DieboldMariano.test(new double[] {0.3}).statistic()).isNaN();
        assertThat(DieboldMariano.test(new double[] {0.2, 0.2, 0.2}).statistic())
                .isNaN();
        assertThat(DieboldMariano.test(new double[0]).n()).isZero();
    }

    @Test
    void theSumsFormGivesTheTestOfTheValues() {
        Random random = new Random(7);
        for (int n : new int[] {2, 3, 50, 129, 1000, 20_000}) {
            // Autocorrelated, with a small mean: the centring terms at both ends matter.
            double[] d = new double[n];
            double previous = 0;
            for (int t = 0; t < n; t++) {
                previous = 0.6 * previous + random.nextGaussian();
                d[t] = 0.05 + previous;
            }
            DieboldMariano.Result expected = DieboldMariano.test(d);
            DieboldMariano.Result fromSums = fromSums(d);

            assertThat(fromSums.n()).isEqualTo(n);
            assertThat(fromSums.lags()).isEqualTo(expected.lags());
            assertThat(fromSums.meanDifference()).isCloseTo(expected.meanDifference(), within(1e-12));
            assertThat(fromSums.statistic()).as("n = %d", n).isCloseTo(expected.statistic(), within(1e-9));
            assertThat(fromSums.pValue()).isCloseTo(expected.pValue(), within(1e-9));
        }
    }

    @Test
    void theSumsFormFindsNoStatisticForConstantDifferences() {
        assertThat(fromSums(new double[] {0.2, 0.2, 0.2, 0.2}).statistic()).isNaN();
        assertThat(fromSums(new double[500]).statistic()).isNaN();
        assertThat(fromSums(new double[] {0.3}).statistic()).isNaN();
    }

    @Test
    void lagsStopAtTheMostTheSumsKeep() {
        assertThat(DieboldMariano.neweyWestLags(26_000_000)).isEqualTo(63);
        assertThat(DieboldMariano.neweyWestLags(1_000_000_000)).isEqualTo(DieboldMariano.MAX_LAGS);
    }

    private static DieboldMariano.Result fromSums(double[] d) {
        double sum = 0;
        for (double v : d) {
            sum += v;
        }
        double[] products = new double[DieboldMariano.MAX_LAGS + 1];
        for (int k = 0; k < products.length; k++) {
            for (int t = k; t < d.length; t++) {
                products[k] += d[t] * d[t - k];
            }
        }
        int ends = Math.min(d.length, DieboldMariano.MAX_LAGS);
        return DieboldMariano.fromSums(
                d.length,
                sum,
                products,
                Arrays.copyOfRange(d, 0, ends),
                Arrays.copyOfRange(d, d.length - ends, d.length));
    }

    @Test
    void normalDistributionFunctionHasTheTableValues() {
        assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(Normal.cdf(Wilson.Z95)).isCloseTo(0.975, within(1e-7));
        assertThat(Normal.cdf(-1)).isCloseTo(0.1586553, within(1e-7));
    }

    private static double iidStatistic(double[] d) {
        double mean = 0;
        for (double v : d) {
            mean += v / d.length;
        }
        double variance = 0;
        for (double v : d) {
            variance += (v - mean) * (v - mean) / d.length;
        }
        return mean / Math.sqrt(variance / d.length);
    }
}
