package io.chronoprice.job.source.split;

/** The mutable progress of a {@link CandleSplit} while a reader owns it: the last emitted open time. */
public final class CandleSplitState {
    private final CandleSplit split;
    private long lastEmittedOpenTimeMs;

    public CandleSplitState(CandleSplit split) {
        this.split = split;
        this.lastEmittedOpenTimeMs = split.lastEmittedOpenTimeMs();
    }

    public long lastEmittedOpenTimeMs() {
        return lastEmittedOpenTimeMs;
    }

    public void setLastEmittedOpenTimeMs(long openTimeMs) {
        this.lastEmittedOpenTimeMs = openTimeMs;
    }

    /** The split as it must be checkpointed now. */
    public CandleSplit toSplit() {
        return new CandleSplit(
                split.exchange(), split.symbol(), split.interval(), lastEmittedOpenTimeMs, split.endTimeMs());
    }
}
