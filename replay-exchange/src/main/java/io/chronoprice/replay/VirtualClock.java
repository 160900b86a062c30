package io.chronoprice.replay;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The exchange's notion of "now": a virtual time that advances {@code speed} times as fast as a real time source.
 * Speed 1 replays in real time, 60 replays a minute per second, and 0 stands still (used for speed "max", where the
 * clock is parked at the end of the data so every candle is closed, and by tests that set the time explicitly).
 *
 * <p>The real time source is injectable so tests can advance time without sleeping. Thread-safe.
 */
public final class VirtualClock {
    private final InstantSource realTime;
    private final double speed;
    private long virtualAnchorMillis;
    private long realAnchorMillis;

    public VirtualClock(long startMillis, double speed, InstantSource realTime) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a finite number >= 0, was " + speed);
        }
        this.realTime = realTime;
        this.speed = speed;
        this.virtualAnchorMillis = startMillis;
        this.realAnchorMillis = realTime.millis();
    }

    /** A clock that stands at {@code millis} until {@link #setNow(long)} moves it. */
    public static VirtualClock frozenAt(long millis) {
        return new VirtualClock(millis, 0, InstantSource.system());
    }

    public synchronized long nowMillis() {
        return virtualAnchorMillis + (long) ((realTime.millis() - realAnchorMillis) * speed);
    }

    public Instant now() {
        return Instant.ofEpochMilli(nowMillis());
    }

    /** Jumps to {@code millis}; at speed > 0 the clock keeps running from there. */
    public synchronized void setNow(long millis) {
        virtualAnchorMillis = millis;
        realAnchorMillis = realTime.millis();
    }

    public double speed() {
        return speed;
    }
}
