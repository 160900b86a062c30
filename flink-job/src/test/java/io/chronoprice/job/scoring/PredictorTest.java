package io.chronoprice.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictorTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {ParityFixture.V1, ParityFixture.V2})
    void aForecastIsTheSameBitForBitHoweverTheWindowsAreGrouped(String version) throws Exception {
        CandleWindow[] windows = ParityFixture.load(version).cases().stream()
                .map(ParityFixture.Case::window)
                .toArray(CandleWindow[]::new);
        try (Predictor predictor = new Predictor(load(version), FIXED, 64)) {
            List<RawForecast> oneByOne = new ArrayList<>();
            for (CandleWindow w : windows) {
                oneByOne.add(predictor.forecast(new CandleWindow[] {w}, 1)[0]);
            }
            // Uneven groups, so that every window sits at another place next to other windows than above.
            List<RawForecast> grouped = new ArrayList<>();
            int size = 1;
            for (int from = 0; from < windows.length; from += size, size = size % 7 + 2) {
                int count = Math.min(size, windows.length - from);
                CandleWindow[] group = new CandleWindow[count];
                System.arraycopy(windows, from, group, 0, count);
                grouped.addAll(List.of(predictor.forecast(group, count)));
            }

            assertThat(grouped).containsExactlyElementsOf(oneByOne);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65})
    void aCallOutsideTheModelBatchIsRefused(int count) throws Exception {
        try (Predictor predictor = new Predictor(load(ParityFixture.V2), FIXED, 64)) {
            assertThatThrownBy(() -> predictor.forecast(new CandleWindow[65], count))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static OnnxModel load(String version) {
        return OnnxModel.load(ParityFixture.model(version), "1m", 60);
    }
}
