package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {

    @Test
    void halfOfTenIsTheTextbookInterval() {
        WilsonInterval ci = WilsonInterval.of(5, 10);

        assertThat(ci.rate()).isEqualTo(0.5);
        assertThat(ci.lower()).isCloseTo(0.2366, within(1e-4));
        assertThat(ci.upper()).isCloseTo(0.7634, within(1e-4));
    }

    @Test
    void noHitsStillGivesAPositiveUpperBound() {
        WilsonInterval ci = WilsonInterval.of(0, 10);

        assertThat(ci.lower()).isEqualTo(0.0);
        assertThat(ci.upper()).isCloseTo(0.2775, within(1e-4));
    }

    @Test
    void nothingToCountHasNoRate() {
        assertThat(WilsonInterval.of(0, 0)).isEqualTo(new WilsonInterval(0, 0, null, null, null));
    }
}
