package io.chronoprice.job.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.source.split.CandleSplit;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CandleEnumeratorTest {
    private static final List<String> SYMBOLS = List.of("SOLUSDT", "BTCUSDT", "ETHUSDT");

    private static List<CandleSplit> splits(long endTimeMs) {
        return SYMBOLS.stream()
                .map(s -> new CandleSplit("binance", s, "1m", CandleSplit.NONE_EMITTED, endTimeMs))
                .collect(Collectors.toList());
    }

    private static List<String> order(List<CandleSplit> splits) {
        return splits.stream().map(CandleSplit::splitId).sorted().collect(Collectors.toList());
    }

    private static List<String> ids(List<CandleSplit> splits) {
        return splits.stream().map(CandleSplit::splitId).collect(Collectors.toList());
    }

    @Test
    void splitsAreAssignedRoundRobinInIdOrderOverTwoReaders() {
        TestingEnumeratorContext context = new TestingEnumeratorContext(2);
        List<CandleSplit> splits = splits(CandleSplit.NO_END);
        CandleEnumerator enumerator = new CandleEnumerator(context, splits, order(splits), false, () -> 0L);
        enumerator.start();

        context.registerReader(1);
        enumerator.addReader(1);
        context.registerReader(0);
        enumerator.addReader(0);

        // Sorted ids: BTCUSDT -> 0, ETHUSDT -> 1, SOLUSDT -> 0, whatever order the readers register in.
        assertThat(ids(context.assigned().get(0))).containsExactly("binance:BTCUSDT:1m", "binance:SOLUSDT:1m");
        assertThat(ids(context.assigned().get(1))).containsExactly("binance:ETHUSDT:1m");
        assertThat(enumerator.snapshotState(1).unassignedSplits()).isEmpty();
        assertThat(context.noMoreSplits())
                .as("an unbounded source may get more work")
                .isEmpty();
    }

    @Test
    void splitsWaitForTheirOwnerAndAreCheckpointedMeanwhile() {
        TestingEnumeratorContext context = new TestingEnumeratorContext(2);
        List<CandleSplit> splits = splits(CandleSplit.NO_END);
        CandleEnumerator enumerator = new CandleEnumerator(context, splits, order(splits), false, () -> 0L);
        enumerator.start();

        context.registerReader(0);
        enumerator.addReader(0);

        assertThat(context.assigned()).containsOnlyKeys(0);
        assertThat(ids(enumerator.snapshotState(1).unassignedSplits())).containsExactly("binance:ETHUSDT:1m");
    }

    @Test
    void splitsAddedBackKeepTheirProgressAndReturnToTheRestartedReader() {
        TestingEnumeratorContext context = new TestingEnumeratorContext(2);
        List<CandleSplit> splits = splits(1_000_000L);
        CandleEnumerator enumerator = new CandleEnumerator(context, splits, order(splits), true, () -> 0L);
        enumerator.start();
        context.registerReader(0);
        enumerator.addReader(0);
        context.registerReader(1);
        enumerator.addReader(1);
        assertThat(context.noMoreSplits()).containsExactlyInAnyOrder(0, 1);

        CandleSplit withProgress = new CandleSplit("binance", "ETHUSDT", "1m", 120_000L, 1_000_000L);
        context.unregisterReader(1);
        context.assigned().clear();
        enumerator.addSplitsBack(List.of(withProgress), 1);

        assertThat(enumerator.snapshotState(2).unassignedSplits()).containsExactly(withProgress);
        context.registerReader(1);
        enumerator.addReader(1);

        assertThat(context.assigned()).containsOnlyKeys(1);
        assertThat(context.assigned().get(1)).containsExactly(withProgress);
        assertThat(context.noMoreSplits()).contains(1);
        assertThat(enumerator.snapshotState(3).unassignedSplits()).isEmpty();
    }

    @Test
    void aSourceBoundedAtServerTimeAssignsOnlyOnceTheEndIsKnown() {
        TestingEnumeratorContext context = new TestingEnumeratorContext(1);
        List<CandleSplit> splits = splits(CandleSplit.END_AT_SERVER_TIME);
        CandleEnumerator enumerator =
                new CandleEnumerator(context, splits, order(splits), true, () -> 1_621_000_000_000L);
        enumerator.start();
        context.registerReader(0);
        enumerator.addReader(0);

        assertThat(context.assigned()).isEmpty();
        assertThat(enumerator.snapshotState(1).unassignedSplits()).hasSize(3);

        context.runAsyncCalls();

        assertThat(context.assigned().get(0)).hasSize(3).allSatisfy(split -> assertThat(split.endTimeMs())
                .isEqualTo(1_621_000_000_000L));
        assertThat(context.noMoreSplits()).containsExactly(0);
    }
}
