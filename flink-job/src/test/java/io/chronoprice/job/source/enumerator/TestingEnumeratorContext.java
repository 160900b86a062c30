package io.chronoprice.job.source.enumerator;

import io.chronoprice.job.source.split.CandleSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A single-threaded {@link SplitEnumeratorContext} for enumerator tests: records assignments and no-more-splits
 * signals, and runs {@code callAsync} work only when the test calls {@link #runAsyncCalls()}.
 */
final class TestingEnumeratorContext implements SplitEnumeratorContext<CandleSplit> {
    private final int parallelism;
    private final Map<Integer, ReaderInfo> readers = new HashMap<>();
    private final Map<Integer, List<CandleSplit>> assigned = new HashMap<>();
    private final Set<Integer> noMoreSplits = new HashSet<>();
    private final List<Runnable> asyncCalls = new ArrayList<>();

    TestingEnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    void registerReader(int subtaskId) {
        readers.put(subtaskId, new ReaderInfo(subtaskId, "localhost"));
    }

    void unregisterReader(int subtaskId) {
        readers.remove(subtaskId);
        noMoreSplits.remove(subtaskId);
    }

    Map<Integer, List<CandleSplit>> assigned() {
        return assigned;
    }

    Set<Integer> noMoreSplits() {
        return noMoreSplits;
    }

    void runAsyncCalls() {
        List<Runnable> calls = new ArrayList<>(asyncCalls);
        asyncCalls.clear();
        calls.forEach(Runnable::run);
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSplitEnumeratorMetricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return Map.copyOf(readers);
    }

    @Override
    public void assignSplits(SplitsAssignment<CandleSplit> newAssignments) {
        newAssignments.assignment().forEach((reader, splits) -> assigned.computeIfAbsent(reader, k -> new ArrayList<>())
                .addAll(splits));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        noMoreSplits.add(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        asyncCalls.add(() -> {
            T result = null;
            Throwable error = null;
            try {
                result = callable.call();
            } catch (Throwable t) {
                error = t;
            }
            handler.accept(result, error);
        });
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
        throw new UnsupportedOperationException("the candle enumerator does no periodic work");
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
