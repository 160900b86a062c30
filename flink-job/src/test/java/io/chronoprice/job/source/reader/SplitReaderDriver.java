package io.chronoprice.job.source.reader;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.split.CandleSplit;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;

/** Runs a {@link CandleSplitReader}'s fetch loop on the test thread, as the fetcher thread would. */
final class SplitReaderDriver {
    private final CandleSplitReader reader;
    private final List<Candle> emitted = new ArrayList<>();
    private final Set<String> finished = new HashSet<>();

    SplitReaderDriver(CandleSplitReader reader, CandleSplit... splits) {
        this.reader = reader;
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(splits)));
    }

    /** Fetches until {@code done} holds or the timeout passes; returns everything emitted so far. */
    List<Candle> fetchUntil(Predicate<SplitReaderDriver> done, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout + " with " + emitted.size() + " candles, finished " + finished);
            }
            RecordsWithSplitIds<Candle> records = reader.fetch();
            while (records.nextSplit() != null) {
                Candle candle;
                while ((candle = records.nextRecordFromSplit()) != null) {
                    emitted.add(candle);
                }
            }
            finished.addAll(records.finishedSplits());
        }
        return emitted;
    }

    List<Candle> fetchUntilFinished(Duration timeout) throws IOException {
        return fetchUntil(d -> !d.finished.isEmpty(), timeout);
    }

    List<Candle> emitted() {
        return emitted;
    }
}
