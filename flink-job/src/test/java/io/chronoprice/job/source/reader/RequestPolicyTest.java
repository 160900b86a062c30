package io.chronoprice.job.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.source.Backoff;
import io.chronoprice.job.source.exchange.RateLimitedException;
import io.chronoprice.job.source.exchange.RetryableExchangeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The request policy on a fake clock: nanoTime and the wall clock move only when the test moves them. */
class RequestPolicyTest {

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    private final AtomicLong wallMillis = new AtomicLong(1_620_950_400_000L + 45_000L); // :45 into a minute
    private final RequestPolicy policy = new RequestPolicy(
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0), 1000, nanos::get, wallMillis::get);

    @Test
    void requestsGoAtOnceUntilSomethingPausesThem() {
        assertThat(policy.pausedForNanos()).isZero();
    }

    @Test
    void aRateLimitPausesEveryRequestForItsRetryAfter() {
        long wait = policy.retryDelayNanos(1, new RateLimitedException("429", Duration.ofSeconds(3)));

        assertThat(wait).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        assertThat(policy.pausedForNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertThat(policy.pausedForNanos()).isZero();
    }

    @Test
    void otherFailuresBackOffExponentiallyWithoutPausingTheOtherSeries() {
        RetryableExchangeException failure = new RetryableExchangeException("503", null);

        assertThat(policy.retryDelayNanos(1, failure)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(policy.retryDelayNanos(3, failure)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(policy.pausedForNanos()).isZero();
    }

    @Test
    void usedWeightAboveTheLimitPausesUntilTheNextWallClockMinute() {
        assertThat(policy.onUsedWeight(1000)).as("at the limit").isZero();
        assertThat(policy.onUsedWeight(1001)).isEqualTo(15_000L);
        assertThat(policy.pausedForNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(15));
    }

    @Test
    void aShorterPauseNeverCutsALongerOneShort() {
        policy.pauseAll(TimeUnit.SECONDS.toNanos(10));
        policy.pauseAll(TimeUnit.SECONDS.toNanos(1));

        assertThat(policy.pausedForNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
    }
}
