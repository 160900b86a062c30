package io.chronoprice.job.source.reader;

import io.chronoprice.common.series.CandleInterval;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * When each series is next polled. A series is due when its next candle has closed (its close time plus the close
 * lag, in exchange time, converted to wall-clock time through the {@link ExchangeClock}) and no earlier than a
 * wall-clock minimum; at once while it pages through a backfill; and with a growing delay while the candle it
 * waits for is overdue (late at the exchange, or a gap), instead of spinning until it appears.
 */
final class PollSchedule {

    static final int MAX_OVERDUE_DOUBLINGS = 5;

    private final ExchangeClock clock;
    private final LongSupplier nanoTime;
    private final long closeLagMs;
    private final long minPollDelayNanos;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** One series' timing. */
    private static final class Slot {
        /** Exchange time the next poll is due at (0: no exchange-time condition). */
        long dueExchangeMs;
        /** Wall-clock time (nanoTime) before which the next poll must not happen. */
        long notBeforeNanos;

        int overduePolls;
    }

    /** The series due first and how long until it is due (0: now). */
    record Next(String id, long waitNanos) {}

    PollSchedule(ExchangeClock clock, LongSupplier nanoTime, long closeLagMs, long minPollDelayNanos) {
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.closeLagMs = closeLagMs;
        this.minPollDelayNanos = minPollDelayNanos;
    }

    /** A new series is due at once. */
    void add(String id) {
        Slot slot = new Slot();
        slot.notBeforeNanos = nanoTime.getAsLong();
        slots.put(id, slot);
    }

    void remove(String id) {
        slots.remove(id);
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    /** The series due first; null when there is none. Ties go to the series added first. */
    Next next() {
        long now = nanoTime.getAsLong();
        Next next = null;
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Slot s = e.getValue();
            long wait = Math.max(s.notBeforeNanos - now, clock.wallNanosUntil(s.dueExchangeMs));
            if (next == null || wait < next.waitNanos()) {
                next = new Next(e.getKey(), Math.max(0, wait));
            }
        }
        return next;
    }

    /**
     * After a successful poll: at once while there are more pages ({@code upToDate} false); else when the candle
     * opening at {@code nextOpenMs} has closed, or, if it is overdue at {@code serverTimeMs}, after a delay that
     * doubles with every overdue poll (up to {@link #MAX_OVERDUE_DOUBLINGS} times).
     */
    void afterPoll(String id, boolean upToDate, long nextOpenMs, CandleInterval interval, long serverTimeMs) {
        Slot s = slots.get(id);
        long now = nanoTime.getAsLong();
        if (!upToDate) {
            dueAt(s, 0, now);
            return;
        }
        long nextCloseDueMs = nextOpenMs + interval.millis() + closeLagMs;
        if (serverTimeMs >= nextCloseDueMs) {
            s.overduePolls = Math.min(s.overduePolls + 1, MAX_OVERDUE_DOUBLINGS);
            dueAt(s, 0, now + (minPollDelayNanos << s.overduePolls));
        } else {
            s.overduePolls = 0;
            dueAt(s, nextCloseDueMs, now + minPollDelayNanos);
        }
    }

    /** After a failed poll: again after {@code delayNanos}, whatever the exchange's time. */
    void retryAfter(String id, long delayNanos) {
        dueAt(slots.get(id), 0, nanoTime.getAsLong() + delayNanos);
    }

    private static void dueAt(Slot s, long exchangeMs, long notBeforeNanos) {
        s.dueExchangeMs = exchangeMs;
        s.notBeforeNanos = notBeforeNanos;
    }
}
