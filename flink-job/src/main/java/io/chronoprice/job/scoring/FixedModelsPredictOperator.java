package io.chronoprice.job.scoring;

import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.window.CandleWindow;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * {@link PredictOperator} for a job without registry updates (a backtest scores the one model it was given): one
 * input, so Flink chains it to the window operator and the windows are handed over in memory instead of each being
 * serialized, sent and read back.
 */
public class FixedModelsPredictOperator extends PredictOperator
        implements OneInputStreamOperator<CandleWindow, RawForecast>, BoundedOneInput {

    public FixedModelsPredictOperator(
            RegistrySnapshot models, String interval, int windowSize, ScoreBatching batching) {
        super(models, interval, windowSize, batching);
    }

    @Override
    public void processElement(StreamRecord<CandleWindow> element) throws Exception {
        processElement1(element);
    }

    @Override
    public void endInput() throws Exception {
        endInput(1);
    }
}
