package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtualClockTest {
    private static final long START = 1620954000000L;

    @Test
    void advancesSpeedTimesAsFastAsRealTime() {
        MutableTime real = new MutableTime(5_000_000L);
        VirtualClock clock = new VirtualClock(START, 60, real);

        real.advance(1_500);

        assertThat(clock.nowMillis()).isEqualTo(START + 90_000);
    }

    @Test
    void speedZeroStandsStillUntilSet() {
        MutableTime real = new MutableTime(0);
        VirtualClock clock = new VirtualClock(START, 0, real);
        real.advance(10_000);
        assertThat(clock.nowMillis()).isEqualTo(START);

        clock.setNow(START + 42);

        assertThat(clock.nowMillis()).isEqualTo(START + 42);
        assertThat(VirtualClock.frozenAt(START).nowMillis()).isEqualTo(START);
    }

    @Test
    void keepsRunningFromATimeThatWasSet() {
        MutableTime real = new MutableTime(0);
        VirtualClock clock = new VirtualClock(START, 2, real);
        real.advance(1_000);

        clock.setNow(START);
        real.advance(1_000);

        assertThat(clock.nowMillis()).isEqualTo(START + 2_000);
    }

    @Test
    void rejectsNegativeOrNonFiniteSpeeds() {
        MutableTime real = new MutableTime(0);
        assertThatThrownBy(() -> new VirtualClock(START, -1, real)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VirtualClock(START, Double.NaN, real))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VirtualClock(START, Double.POSITIVE_INFINITY, real))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
