package io.chronoprice.job.serving;

import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.RawForecast;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns raw forecasts into served predictions with the online layers ({@link OnlineServing}), keyed by series
 * and model version. Each forecast first settles the previous one: its target candle is the last candle of
 * this forecast's window, so the outcome arrives with the next window and no extra input is needed. The state
 * lives in Flink keyed state, so it is checkpointed and kept across stop-with-savepoint and restarts.
 */
public class ServeFunction extends KeyedProcessFunction<String, RawForecast, Prediction> {

    private final ServingParams params;

    private transient ValueState<ServingState> state;
    private transient Counter resolved;
    private transient Counter unresolved;

    public ServeFunction(ServingParams params) {
        this.params = params;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("serving", ServingState.class));
        resolved = getRuntimeContext().getMetricGroup().counter("forecastsResolved");
        unresolved = getRuntimeContext().getMetricGroup().counter("forecastsUnresolved");
    }

    @Override
    public void processElement(RawForecast raw, Context ctx, Collector<Prediction> out) throws Exception {
        ServingState s = state.value();
        if (s == null) {
            s = new ServingState();
        }
        long resolvedBefore = s.resolved;
        long unresolvedBefore = s.unresolved;
        out.collect(OnlineServing.next(s, raw, params));
        resolved.inc(s.resolved - resolvedBefore);
        unresolved.inc(s.unresolved - unresolvedBefore);
        state.update(s);
    }
}
