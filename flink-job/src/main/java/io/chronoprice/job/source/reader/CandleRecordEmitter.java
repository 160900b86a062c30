package io.chronoprice.job.source.reader;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.split.CandleSplitState;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/** Emits a candle with its open time as the event timestamp and records it as the split's new offset. */
public final class CandleRecordEmitter implements RecordEmitter<Candle, Candle, CandleSplitState> {
    private final CandleSourceReaderMetrics metrics;

    public CandleRecordEmitter(CandleSourceReaderMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(Candle candle, SourceOutput<Candle> output, CandleSplitState splitState) {
        output.collect(candle, candle.openTimeMs());
        splitState.setLastEmittedOpenTimeMs(candle.openTimeMs());
        metrics.candleEmitted(candle.symbol());
    }
}
