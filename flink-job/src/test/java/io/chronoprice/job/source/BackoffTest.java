package io.chronoprice.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleFromTheInitialOneUpToTheMaximumWithinTheirJitterBand() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999999);

        assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(low.delay(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(low.delay(4)).isEqualTo(Duration.ofMillis(400));
        assertThat(low.delay(5)).as("capped at 1 s, then jittered").isEqualTo(Duration.ofMillis(500));
        assertThat(high.delay(3)).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
        assertThat(low.delay(1000)).as("no overflow after many failures").isEqualTo(Duration.ofMillis(500));
    }
}
