package io.chronoprice.job.source.enumerator;

import static org.apache.flink.util.Preconditions.checkNotNull;

import io.chronoprice.job.source.split.CandleSplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns the fixed set of series splits to readers, round-robin in split-id order, so that the owner of a split
 * depends only on the configuration and the parallelism (a split added back after a failure returns to the same
 * subtask). For a source bounded at the exchange's server time it first reads that time once (via
 * {@code callAsync}, no threads of its own) and stamps it into the splits, so that a restore keeps the same end.
 */
public final class CandleEnumerator implements SplitEnumerator<CandleSplit, CandleEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(CandleEnumerator.class);

    private final SplitEnumeratorContext<CandleSplit> context;
    private final List<String> splitOrder;
    private final boolean bounded;
    private final Callable<Long> serverTime;

    /** Splits waiting for their owner to register, by id (sorted, so that assignments are deterministic). */
    private final TreeMap<String, CandleSplit> pending = new TreeMap<>();

    /** Readers already told that no more splits will come (bounded mode only). */
    private final Set<Integer> signalledReaders = new HashSet<>();

    private boolean resolvingEnd;

    /**
     * @param splitOrder every configured split id, sorted: the position of a split in it picks its reader
     * @param serverTime reads the exchange's server time, for splits bounded at it
     */
    public CandleEnumerator(
            SplitEnumeratorContext<CandleSplit> context,
            Collection<CandleSplit> unassignedSplits,
            List<String> splitOrder,
            boolean bounded,
            Callable<Long> serverTime) {
        this.context = checkNotNull(context);
        this.splitOrder = List.copyOf(splitOrder);
        this.bounded = bounded;
        this.serverTime = checkNotNull(serverTime);
        unassignedSplits.forEach(split -> pending.put(split.splitId(), split));
    }

    @Override
    public void start() {
        resolveEndIfNeeded();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when a reader registers; there is nothing to hand out on request.
    }

    @Override
    public void addSplitsBack(List<CandleSplit> splits, int subtaskId) {
        LOG.info("Splits {} returned from subtask {}", splits, subtaskId);
        splits.forEach(split -> pending.put(split.splitId(), split));
        // The subtask restarts as a new reader, which must be told again once it has its splits back.
        signalledReaders.remove(subtaskId);
        resolveEndIfNeeded();
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public CandleEnumeratorState snapshotState(long checkpointId) {
        return new CandleEnumeratorState(pending.values());
    }

    @Override
    public void close() {
        // No resources: the server time call runs on the coordinator's executor.
    }

    /** The subtask that owns {@code splitId} at the current parallelism. */
    int ownerOf(String splitId) {
        int position = splitOrder.indexOf(splitId);
        // A restored split that is no longer configured still gets a stable owner.
        int index = position >= 0 ? position : splitId.hashCode() & Integer.MAX_VALUE;
        return index % context.currentParallelism();
    }

    private void resolveEndIfNeeded() {
        boolean unresolved = pending.values().stream().anyMatch(split -> !split.isEndResolved());
        if (!unresolved || resolvingEnd) {
            return;
        }
        resolvingEnd = true;
        context.callAsync(serverTime, this::onServerTime);
    }

    private void onServerTime(Long serverTimeMs, Throwable error) {
        resolvingEnd = false;
        if (error != null) {
            throw new FlinkRuntimeException(
                    "Could not read the exchange's server time to bound the candle source", error);
        }
        LOG.info("Candle source bounded at exchange server time {}", serverTimeMs);
        pending.replaceAll((id, split) -> split.isEndResolved() ? split : split.withEndTimeMs(serverTimeMs));
        assignPending();
    }

    private void assignPending() {
        if (resolvingEnd) {
            return; // assigned once the end is known
        }
        Set<Integer> readers = context.registeredReaders().keySet();
        Map<Integer, List<CandleSplit>> assignment = new HashMap<>();
        pending.values().removeIf(split -> {
            int owner = ownerOf(split.splitId());
            if (!readers.contains(owner)) {
                return false;
            }
            assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
            return true;
        });
        if (!assignment.isEmpty()) {
            LOG.info("Assigning splits {}", assignment);
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (bounded) {
            // The set of series is fixed: a reader with nothing pending can finish once its splits are done.
            for (int reader : readers) {
                boolean hasPending = pending.keySet().stream().anyMatch(id -> ownerOf(id) == reader);
                if (!hasPending && signalledReaders.add(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }
}
