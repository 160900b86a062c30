package io.chronoprice.job.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.chronoprice.common.series.CandleInterval;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poll schedule on a fake clock, with an exchange running at wall-clock speed. */
class PollScheduleTest {

    private static final long MINUTE_MS = 60_000L;
    private static final long T0 = 1_620_950_400_000L; // an exchange minute boundary
    private static final long LAG_MS = 2_000L;
    private static final long MIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ExchangeClock clock = new ExchangeClock(nanos::get);
    private final PollSchedule schedule = new PollSchedule(clock, nanos::get, LAG_MS, MIN_DELAY_NANOS);

    @BeforeEach
    void exchangeAtRealTime() {
        clock.observe(T0 + 30_000L);
        advanceMillis(2_000);
        clock.observe(T0 + 32_000L); // two seconds on both clocks: rate 1
    }

    @Test
    void aNewSeriesIsDueAtOnceAndTiesGoToTheFirstAdded() {
        schedule.add("a");
        schedule.add("b");

        assertThat(schedule.next()).isEqualTo(new PollSchedule.Next("a", 0));
    }

    @Test
    void anUpToDateSeriesIsDueWhenItsNextCandleHasClosedPlusTheLag() {
        schedule.add("a");
        schedule.afterPoll("a", true, T0, CandleInterval.ONE_MINUTE, T0 + 32_000L);

        // The candle opening at T0 closes at T0 + 60 s; plus the 2 s lag, 30 s after the exchange's now.
        assertThat(schedule.next().waitNanos()).isCloseTo(TimeUnit.SECONDS.toNanos(30), offset(1_000_000L));
    }

    @Test
    void aSeriesStillPagingThroughABackfillIsDueAtOnce() {
        schedule.add("a");
        schedule.afterPoll("a", false, T0 - 500 * MINUTE_MS, CandleInterval.ONE_MINUTE, T0 + 32_000L);

        assertThat(schedule.next().waitNanos()).isZero();
    }

    @Test
    void anOverdueCandleIsPolledWithADelayThatDoublesUpToItsCap() {
        schedule.add("a");
        long overdue = T0 - 5 * MINUTE_MS;
        long[] waits = new long[7];
        for (int i = 0; i < waits.length; i++) {
            schedule.afterPoll("a", true, overdue, CandleInterval.ONE_MINUTE, T0 + 32_000L);
            waits[i] = schedule.next().waitNanos();
        }

        assertThat(waits)
                .containsExactly(
                        MIN_DELAY_NANOS << 1,
                        MIN_DELAY_NANOS << 2,
                        MIN_DELAY_NANOS << 3,
                        MIN_DELAY_NANOS << 4,
                        MIN_DELAY_NANOS << 5,
                        MIN_DELAY_NANOS << 5,
                        MIN_DELAY_NANOS << 5);
        schedule.afterPoll("a", true, T0, CandleInterval.ONE_MINUTE, T0 + 32_000L);
        assertThat(schedule.next().waitNanos())
                .as("back on time resets the doubling")
                .isGreaterThan(MIN_DELAY_NANOS);
    }

    @Test
    void aFailedSeriesWaitsItsRetryDelayWhileAnotherIsDue() {
        schedule.add("a");
        schedule.add("b");
        schedule.retryAfter("a", TimeUnit.SECONDS.toNanos(5));

        assertThat(schedule.next()).isEqualTo(new PollSchedule.Next("b", 0));
        schedule.remove("b");
        assertThat(schedule.next()).isEqualTo(new PollSchedule.Next("a", TimeUnit.SECONDS.toNanos(5)));
        advanceMillis(5_000);
        assertThat(schedule.next().waitNanos()).isZero();
    }

    private void advanceMillis(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
