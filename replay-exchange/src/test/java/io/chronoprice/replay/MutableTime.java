package io.chronoprice.replay;

import java.time.Instant;
import java.time.InstantSource;

/** Test helper: a real-time source that only moves when the test says so. */
final class MutableTime implements InstantSource {
    private volatile long millis;

    MutableTime(long millis) {
        this.millis = millis;
    }

    void advance(long deltaMillis) {
        millis += deltaMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }
}
