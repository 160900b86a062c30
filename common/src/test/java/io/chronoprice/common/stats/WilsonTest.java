package io.chronoprice.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonTest {

    @Test
    void sixtyOfAHundredGivesTheTextbookInterval() {
        double[] ci = Wilson.interval95(60, 100);

        assertThat(ci[0]).isCloseTo(0.5020, within(1e-4));
        assertThat(ci[1]).isCloseTo(0.6906, within(1e-4));
    }

    @Test
    void boundsStayInsideZeroAndOneAtTheEdges() {
        assertThat(Wilson.interval95(0, 10)[0]).isZero();
        assertThat(Wilson.interval95(10, 10)[1]).isCloseTo(1.0, within(1e-12));
        assertThat(Wilson.interval95(0, 10)[1]).isCloseTo(0.2775, within(1e-4));
    }

    @Test
    void nothingCountedGivesNoInterval() {
        assertThat(Wilson.interval95(0, 0)).containsOnly(Double.NaN);
    }
}
