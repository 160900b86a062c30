package io.chronoprice.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.window.CandleWindow;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PredictFunctionTest {

    private static final ParityFixture FIXTURE = ParityFixture.load();

    @Test
    void eachWindowBecomesOnePredictionOfTheNextCandleFromTheModelsQuantiles() throws Exception {
        List<ParityFixture.Case> cases = FIXTURE.cases();
        try (OneInputStreamOperatorTestHarness<CandleWindow, Prediction> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new StreamMap<>(new PredictFunction(ParityFixture.model(), "1m", 60)))) {
            harness.open();
            for (ParityFixture.Case c : cases) {
                harness.processElement(new StreamRecord<>(c.window()));
            }

            List<Prediction> predictions = harness.extractOutputValues();
            assertThat(predictions).hasSameSizeAs(cases);
            for (int i = 0; i < cases.size(); i++) {
                Candle last = cases.get(i).window().last();
                double[] q = cases.get(i).outputs();
                Prediction p = predictions.get(i);
                assertThat(p.symbol()).isEqualTo(last.symbol());
                assertThat(p.targetOpenTimeMs()).isEqualTo(last.openTimeMs() + 60_000);
                assertThat(p.windowEndOpenTimeMs()).isEqualTo(last.openTimeMs());
                assertThat(p.modelVersion()).isEqualTo(FIXTURE.modelVersion());
                assertThat(p.naiveClose()).isEqualTo(last.close());
                assertThat(p.predictedClose()).isCloseTo(last.close() * Math.exp(q[1]), within(last.close() * 1e-5));
                assertThat(p.lowerClose()).isCloseTo(last.close() * Math.exp(q[0]), within(last.close() * 1e-5));
                assertThat(p.upperClose()).isCloseTo(last.close() * Math.exp(q[2]), within(last.close() * 1e-5));
            }
        }
    }
}
