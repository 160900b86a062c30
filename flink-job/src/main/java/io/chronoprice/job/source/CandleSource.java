package io.chronoprice.job.source;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.enumerator.CandleEnumerator;
import io.chronoprice.job.source.enumerator.CandleEnumeratorState;
import io.chronoprice.job.source.enumerator.CandleEnumeratorStateSerializer;
import io.chronoprice.job.source.enumerator.ServerTimeCall;
import io.chronoprice.job.source.reader.CandleRecordEmitter;
import io.chronoprice.job.source.reader.CandleSourceReader;
import io.chronoprice.job.source.reader.CandleSourceReaderMetrics;
import io.chronoprice.job.source.reader.CandleSplitReader;
import io.chronoprice.job.source.split.CandleSplit;
import io.chronoprice.job.source.split.CandleSplitSerializer;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source of closed exchange candles, polled over the exchanges' public REST APIs: one split per
 * (exchange, symbol, interval) series, each candle emitted exactly once, in open-time order, with its open time as
 * the event timestamp. Unbounded (live) by default; bounded for backtests. Built with {@link #builder()}.
 */
public final class CandleSource
        implements Source<Candle, CandleSplit, CandleEnumeratorState>, ResultTypeQueryable<Candle> {
    private static final long serialVersionUID = 1L;

    private final Configuration config;

    CandleSource(Configuration config) {
        this.config = config;
    }

    public static CandleSourceBuilder builder() {
        return new CandleSourceBuilder();
    }

    @Override
    public Boundedness getBoundedness() {
        return isBounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Candle, CandleSplit> createReader(SourceReaderContext readerContext) {
        CandleSourceReaderMetrics metrics = new CandleSourceReaderMetrics(readerContext.metricGroup());
        return new CandleSourceReader(
                () -> new CandleSplitReader(config, metrics), new CandleRecordEmitter(metrics), config, readerContext);
    }

    @Override
    public SplitEnumerator<CandleSplit, CandleEnumeratorState> createEnumerator(
            SplitEnumeratorContext<CandleSplit> enumContext) {
        return restoreEnumerator(enumContext, new CandleEnumeratorState(initialSplits()));
    }

    @Override
    public SplitEnumerator<CandleSplit, CandleEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<CandleSplit> enumContext, CandleEnumeratorState checkpoint) {
        List<String> splitOrder =
                initialSplits().stream().map(CandleSplit::splitId).sorted().collect(Collectors.toList());
        return new CandleEnumerator(
                enumContext, checkpoint.unassignedSplits(), splitOrder, isBounded(), new ServerTimeCall(config));
    }

    @Override
    public SimpleVersionedSerializer<CandleSplit> getSplitSerializer() {
        return new CandleSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<CandleEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new CandleEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<Candle> getProducedType() {
        return TypeInformation.of(Candle.class);
    }

    private boolean isBounded() {
        return config.get(CandleSourceOptions.BOUNDED_AT_SERVER_TIME)
                || config.getOptional(CandleSourceOptions.END_AT).isPresent();
    }

    private List<CandleSplit> initialSplits() {
        long endTimeMs = config.get(CandleSourceOptions.BOUNDED_AT_SERVER_TIME)
                ? CandleSplit.END_AT_SERVER_TIME
                : config.getOptional(CandleSourceOptions.END_AT).orElse(CandleSplit.NO_END);
        String exchange = config.get(CandleSourceOptions.EXCHANGE);
        String interval = CandleInterval.fromCode(config.get(CandleSourceOptions.INTERVAL))
                .code();
        return config.get(CandleSourceOptions.SYMBOLS).stream()
                .map(symbol -> new CandleSplit(exchange, symbol, interval, CandleSplit.NONE_EMITTED, endTimeMs))
                .collect(Collectors.toList());
    }
}
