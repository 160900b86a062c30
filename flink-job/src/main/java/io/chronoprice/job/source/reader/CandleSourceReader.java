package io.chronoprice.job.source.reader;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.split.CandleSplit;
import io.chronoprice.job.source.split.CandleSplitState;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source reader: one fetcher thread runs a {@link CandleSplitReader} over all splits of this subtask; this class
 * only converts between splits and their mutable state for checkpoints.
 */
public final class CandleSourceReader
        extends SingleThreadMultiplexSourceReaderBase<Candle, Candle, CandleSplit, CandleSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(CandleSourceReader.class);

    public CandleSourceReader(
            Supplier<SplitReader<Candle, CandleSplit>> splitReaderSupplier,
            RecordEmitter<Candle, Candle, CandleSplitState> recordEmitter,
            Configuration config,
            SourceReaderContext context) {
        super(splitReaderSupplier, recordEmitter, config, context);
    }

    @Override
    protected void onSplitFinished(Map<String, CandleSplitState> finishedSplitIds) {
        finishedSplitIds.forEach((id, state) ->
                LOG.info("Split {} finished after the candle opening at {}", id, state.lastEmittedOpenTimeMs()));
    }

    @Override
    protected CandleSplitState initializedState(CandleSplit split) {
        return new CandleSplitState(split);
    }

    @Override
    protected CandleSplit toSplitType(String splitId, CandleSplitState splitState) {
        return splitState.toSplit();
    }
}
