package io.chronoprice.replay;

import java.time.InstantSource;

/**
 * Sums Binance request weight per real (wall-clock) minute for the {@code X-MBX-USED-WEIGHT-1m} header. Real, not
 * virtual, minutes: Binance's limits are wall-clock limits, and at speed 60 a virtual minute would reset the count
 * every second, so a client that paces itself by the header would learn nothing.
 */
final class RequestWeights {
    private final InstantSource realTime;
    private long minute = Long.MIN_VALUE;
    private int used;

    RequestWeights(InstantSource realTime) {
        this.realTime = realTime;
    }

    /** Adds {@code weight} to the current minute and returns the minute's total so far. */
    synchronized int add(int weight) {
        long now = realTime.millis() / 60_000L;
        if (now != minute) {
            minute = now;
            used = 0;
        }
        used += weight;
        return used;
    }
}
