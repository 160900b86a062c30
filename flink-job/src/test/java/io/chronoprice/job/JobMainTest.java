package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class JobMainTest {

    private static final JobOptions OPTIONS = JobOptions.parse(new String[0], Map.of());

    @Test
    void aLiveJobSendsEachRecordOnAtOnceAndEmitsWatermarksEverySecond() {
        StreamExecutionEnvironment env = JobMain.environment(OPTIONS, true);

        assertThat(env.getBufferTimeout()).isZero();
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(1000);
    }

    @Test
    void theJobIsNamedAfterItsSeriesListingUpToFiveSymbols() {
        assertThat(JobMain.jobName("binance", List.of("BTCUSDT", "ETHUSDT", "SOLUSDT"), "1m"))
                .isEqualTo("ChronoPrice binance BTCUSDT,ETHUSDT,SOLUSDT 1m");
        List<String> many =
                IntStream.range(0, 200).mapToObj(i -> "S%03dUSDT".formatted(i)).toList();
        assertThat(JobMain.jobName("binance@day", many, "1m")).isEqualTo("ChronoPrice binance@day 200 symbols 1m");
    }

    @Test
    void aBacktestKeepsFlinksBufferingAndWatermarkDefaults() {
        StreamExecutionEnvironment env = JobMain.environment(OPTIONS, false);

        assertThat(env.getBufferTimeout()).isEqualTo(100);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(200);
    }
}
