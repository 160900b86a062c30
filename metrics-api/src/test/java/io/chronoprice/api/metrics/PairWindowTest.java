package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.common.stats.DieboldMariano;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A window put together from rows at its edges and prefix sums in between is the window's own sequence: the same
 * sums, lagged products, ends and test as the values one by one. The prefix sums are built here as migration V10
 * keeps them, over a longer history whose start lies before the window.
 */
class PairWindowTest {

    private static final Instant T0 = Instant.parse("2021-05-14T00:00:00Z");

    @Test
    void edgesAndCleanSumsGiveTheSequenceOfTheWindow() {
        Random random = new Random(3);
        double[] history = new double[1500];
        for (int t = 0; t < history.length; t++) {
            history[t] = 0.2 * Math.sin(t / 7.0) + random.nextGaussian();
        }
        // The window is history[200..1500): front 200..240, clean 240..1400, back 1400..1500.
        int windowStart = 200;
        int cleanStart = 240;
        int cleanEnd = 1400;
        double[] window = Arrays.copyOfRange(history, windowStart, history.length);

        PairWindow w = PairWindow.of(
                targets(history, windowStart, cleanStart),
                clean(history, cleanStart, cleanEnd),
                Arrays.copyOfRange(history, cleanStart, cleanStart + DieboldMariano.MAX_LAGS),
                targets(history, cleanEnd, history.length));

        assertThat(w.targets()).isEqualTo(window.length);
        assertThat(w.firstTarget()).isEqualTo(T0.plusSeconds(60L * windowStart));
        assertThat(w.lastTarget()).isEqualTo(T0.plusSeconds(60L * (history.length - 1)));
        assertThat(w.sumAbsErrorA() - w.sumAbsErrorB())
                .isCloseTo(Arrays.stream(window).sum(), within(1e-9));
        double[] expected = PairWindow.products(window);
        for (int k = 0; k < expected.length; k++) {
            assertThat(w.lagProducts()[k]).as("lag %d", k).isCloseTo(expected[k], within(1e-9));
        }
        assertThat(w.head()).containsExactly(Arrays.copyOfRange(window, 0, DieboldMariano.MAX_LAGS));
        assertThat(w.tail())
                .containsExactly(Arrays.copyOfRange(window, window.length - DieboldMariano.MAX_LAGS, window.length));
        DieboldMariano.Result fromRows = DieboldMariano.test(window);
        assertThat(w.test(false).statistic()).isCloseTo(fromRows.statistic(), within(1e-9));
        assertThat(w.test(true).statistic()).isCloseTo(-fromRows.statistic(), within(1e-9));
    }

    @Test
    void withoutCleanHoursTheRowsAreTheWindow() {
        double[] d = {0.5, -1, 2, 0.25, -0.75};
        PairWindow w = PairWindow.of(targets(d, 0, 2), null, new double[0], targets(d, 2, 5));

        assertThat(w.targets()).isEqualTo(5);
        assertThat(w.lagProducts()[1]).isCloseTo(0.5 * -1 - 2 + 0.5 - 0.1875, within(1e-12));
        assertThat(w.test(false).statistic()).isCloseTo(DieboldMariano.test(d).statistic(), within(1e-12));
        assertThat(PairWindow.of(List.of(), null, new double[0], List.of()).targets())
                .isZero();
    }

    @Test
    void cleanHoursTooShortForTheJoinsAreRefused() {
        double[] history = new double[200];
        Arrays.fill(history, 1);
        assertThatThrownBy(() -> PairWindow.of(
                        List.of(), clean(history, 0, 100), Arrays.copyOf(history, DieboldMariano.MAX_LAGS), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Rows [from, to) of the history, one a minute, with errors whose difference is d. */
    private static List<PairWindow.Target> targets(double[] d, int from, int to) {
        List<PairWindow.Target> rows = new ArrayList<>();
        for (int t = from; t < to; t++) {
            double b = 5 + Math.cos(t);
            rows.add(new PairWindow.Target(T0.plusSeconds(60L * t), d[t], b + d[t], b, 4, 4));
        }
        return rows;
    }

    /** The clean hours [from, to) as prefix-sum differences: their products reach back before {@code from}. */
    private static PairWindow.Clean clean(double[] d, int from, int to) {
        double[] products = new double[DieboldMariano.MAX_LAGS + 1];
        double absA = 0;
        double absB = 0;
        for (int t = from; t < to; t++) {
            for (int k = 0; k < products.length && t - k >= 0; k++) {
                products[k] += d[t] * d[t - k];
            }
            double b = 5 + Math.cos(t);
            absA += b + d[t];
            absB += b;
        }
        return new PairWindow.Clean(
                to - from,
                absA,
                absB,
                4.0 * (to - from),
                4.0 * (to - from),
                T0.plusSeconds(60L * from),
                T0.plusSeconds(60L * (to - 1)),
                products,
                Arrays.copyOfRange(d, Math.max(0, from - DieboldMariano.MAX_LAGS), from),
                Arrays.copyOfRange(d, to - DieboldMariano.MAX_LAGS, to));
    }
}
