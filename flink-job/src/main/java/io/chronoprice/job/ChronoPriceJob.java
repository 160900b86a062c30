package io.chronoprice.job;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.scoring.FixedModelsPredictOperator;
import io.chronoprice.job.scoring.PredictOperator;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.RawForecast;
import io.chronoprice.job.scoring.ScoreBatching;
import io.chronoprice.job.serving.ServeFunction;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.window.CandleWindow;
import io.chronoprice.job.window.FullWindowFunction;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ChronoPrice pipeline: candles -> keyBy(series) -> countWindow(n, 1) -> full windows -> ONNX scoring, in
 * micro-batches while catching up, by every registered model version (the registry broadcast to the scoring
 * operator; a job without registry updates scores its given models, chained to the window operator) ->
 * keyBy(series, model version) -> online layers (skill guard, interval calibration) -> PostgreSQL.
 * Source and sinks come from outside, so the tests run this very pipeline on their own.
 * Operator uids are part of the savepoint contract: renaming one orphans its state.
 */
public final class ChronoPriceJob {

    /** Where the job writes: candles, the gaps in front of candles, and predictions. */
    public record Sinks(Sink<Candle> candles, Sink<Candle> gaps, Sink<Prediction> predictions) {}

    private final Source<Candle, ?, ?> source;
    private final Sinks sinks;
    private final RegistrySnapshot models;
    private final Source<RegistrySnapshot, ?, ?> registry;
    private final String interval;
    private final int windowSize;
    private final ServingParams serving;
    private final ScoreBatching batching;
    private final String exchangeLabel;

    /**
     * {@code models} are scored from the start; a non-null {@code registry} source then updates them while the job
     * runs (a bounded job, like a backtest, passes null and scores {@code models} only). {@code windowSize} is
     * the models', which {@link JobMain} reads and checks from the artifacts. A non-null {@code exchangeLabel}
     * files every row under that exchange name, so a backtest's rows never mix with live ones.
     */
    public ChronoPriceJob(
            Source<Candle, ?, ?> source,
            Sinks sinks,
            RegistrySnapshot models,
            Source<RegistrySnapshot, ?, ?> registry,
            String interval,
            int windowSize,
            ServingParams serving,
            ScoreBatching batching,
            String exchangeLabel) {
        this.source = source;
        this.sinks = sinks;
        this.models = models;
        this.registry = registry;
        this.interval = interval;
        this.windowSize = windowSize;
        this.serving = serving;
        this.batching = batching;
        this.exchangeLabel = exchangeLabel;
    }

    public void build(StreamExecutionEnvironment env) {
        DataStream<Candle> candles =
                env.fromSource(source, watermarks(), "exchange-candles").uid("exchange-candles");
        if (exchangeLabel != null) {
            String label = exchangeLabel;
            candles = candles.map(c -> c.withExchange(label)).name("label-run").uid("label-run");
        }

        candles.sinkTo(sinks.candles()).name("candles-to-postgres").uid("candles-to-postgres");
        candles.filter(c -> c.missingBefore() > 0)
                .name("gaps")
                .uid("gaps")
                .sinkTo(sinks.gaps())
                .name("gaps-to-postgres")
                .uid("gaps-to-postgres");

        DataStream<CandleWindow> windows = candles.keyBy(Candle::seriesKey)
                .countWindow(windowSize, 1)
                .process(new FullWindowFunction(windowSize))
                .name("full-windows")
                .uid("full-windows");
        scored(env, windows)
                .uid("onnx-predict")
                .keyBy(RawForecast::servingKey)
                .process(new ServeFunction(serving))
                .name("online-serving")
                .uid("online-serving")
                .sinkTo(sinks.predictions())
                .name("predictions-to-postgres")
                .uid("predictions-to-postgres");
    }

    /**
     * The windows scored by every version to score. With registry updates, the operator takes them as a second
     * input; without (a backtest), it has the windows only, so Flink chains it to the window operator and no window
     * is serialized between them (BENCHMARKS.md: 8 % more candles/s in a backtest). Same scoring either way.
     */
    private SingleOutputStreamOperator<RawForecast> scored(
            StreamExecutionEnvironment env, DataStream<CandleWindow> windows) {
        TypeInformation<RawForecast> type = TypeInformation.of(RawForecast.class);
        return registry == null
                ? windows.transform(
                        "onnx-predict", type, new FixedModelsPredictOperator(models, interval, windowSize, batching))
                : windows.connect(registryUpdates(env))
                        .transform("onnx-predict", type, new PredictOperator(models, interval, windowSize, batching));
    }

    /** Every scoring subtask gets every registry snapshot. */
    private DataStream<RegistrySnapshot> registryUpdates(StreamExecutionEnvironment env) {
        return env.fromSource(registry, WatermarkStrategy.noWatermarks(), "model-registry")
                .setParallelism(1)
                .uid("model-registry")
                .broadcast();
    }

    /** Event time is the candle's open time; a series that stops (a delisted symbol) must not stall the rest. */
    private static WatermarkStrategy<Candle> watermarks() {
        return WatermarkStrategy.<Candle>forMonotonousTimestamps()
                .withTimestampAssigner((candle, previous) -> candle.openTimeMs())
                .withIdleness(Duration.ofMinutes(2));
    }
}
