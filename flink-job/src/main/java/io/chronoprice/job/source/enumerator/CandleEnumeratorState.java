package io.chronoprice.job.source.enumerator;

import io.chronoprice.job.source.split.CandleSplit;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The enumerator's checkpoint: the splits not currently owned by a reader (assigned splits are checkpointed by
 * their readers, with their progress).
 */
public final class CandleEnumeratorState {
    private final List<CandleSplit> unassignedSplits;

    public CandleEnumeratorState(Collection<CandleSplit> unassignedSplits) {
        this.unassignedSplits = List.copyOf(unassignedSplits);
    }

    public List<CandleSplit> unassignedSplits() {
        return unassignedSplits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CandleEnumeratorState
                && unassignedSplits.equals(((CandleEnumeratorState) o).unassignedSplits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(unassignedSplits);
    }

    @Override
    public String toString() {
        return "CandleEnumeratorState{unassignedSplits=" + unassignedSplits + '}';
    }
}
