package io.chronoprice.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.features.WindowVolatility;
import io.chronoprice.job.window.CandleWindow;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictFunctionTest {

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2})
    void eachWindowBecomesOneRawForecastOfTheNextCandleInLogReturns(String version) throws Exception {
        ParityFixture fixture = ParityFixture.load(version);
        List<ParityFixture.Case> cases = fixture.cases();
        try (OneInputStreamOperatorTestHarness<CandleWindow, RawForecast> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new StreamMap<>(new PredictFunction(ParityFixture.model(version), "1m", 60)))) {
            harness.open();
            for (ParityFixture.Case c : cases) {
                harness.processElement(new StreamRecord<>(c.window()));
            }

            List<RawForecast> forecasts = harness.extractOutputValues();
            assertThat(forecasts).hasSameSizeAs(cases);
            for (int i = 0; i < cases.size(); i++) {
                ParityFixture.Case c = cases.get(i);
                Candle last = c.window().last();
                double[] q = c.outputs();
                double unit = c.scale();
                RawForecast f = forecasts.get(i);
                assertThat(f.symbol()).isEqualTo(last.symbol());
                assertThat(f.targetOpenTimeMs()).isEqualTo(last.openTimeMs() + 60_000);
                assertThat(f.windowEndOpenTimeMs()).isEqualTo(last.openTimeMs());
                assertThat(f.modelVersion()).isEqualTo(version);
                assertThat(f.lastClose()).isEqualTo(last.close());
                assertThat(f.q10()).isCloseTo(q[0] * unit, within(1e-5 * unit));
                assertThat(f.q50()).isCloseTo(q[1] * unit, within(1e-5 * unit));
                assertThat(f.q90()).isCloseTo(q[2] * unit, within(1e-5 * unit));
                assertThat(f.scale())
                        .isEqualTo(WindowVolatility.scale(c.window().candles()));
                assertThat(f.rollingSigma())
                        .isEqualTo(WindowVolatility.rollingSigma(c.window().candles()));
                assertThat(f.ewmaSigma())
                        .isEqualTo(WindowVolatility.ewmaSigma(c.window().candles()));
            }
        }
    }
}
