package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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
    void aBacktestKeepsFlinksBufferingAndWatermarkDefaults() {
        StreamExecutionEnvironment env = JobMain.environment(OPTIONS, false);

        assertThat(env.getBufferTimeout()).isEqualTo(100);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(200);
    }
}
