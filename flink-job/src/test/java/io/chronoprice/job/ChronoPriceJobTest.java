package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.db.DbSettings;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.registry.RegistryWatcher;
import io.chronoprice.job.scoring.ScoreBatching;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.sink.PostgresSinks;
import io.chronoprice.job.source.CandleSource;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class ChronoPriceJobTest {

    // Only built into a job graph, never run: nothing connects to it.
    private static final DbSettings DB = new DbSettings("jdbc:postgresql://127.0.0.1:1/chronoprice", "u", "p");

    @Test
    void withoutRegistryUpdatesTheWindowsAreScoredInTheWindowTask() {
        assertThat(tasks(null)).contains("full-windows -> onnx-predict");
    }

    @Test
    void withRegistryUpdatesTheScoringTaskTakesTheWindowsAndTheRegistry() {
        assertThat(tasks(RegistryWatcher.source(DB, "1m", null, Duration.ofSeconds(10))))
                .contains("full-windows", "onnx-predict", "Source: model-registry");
    }

    private static List<String> tasks(Source<RegistrySnapshot, ?, ?> registry) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new ChronoPriceJob(
                        CandleSource.builder()
                                .exchange("binance")
                                .baseUri(URI.create("http://127.0.0.1:1"))
                                .symbols(List.of("BTCUSDT"))
                                .interval("1m")
                                .build(),
                        new ChronoPriceJob.Sinks(
                                PostgresSinks.candles(DB, PostgresSinks.Keys.MAY_EXIST),
                                PostgresSinks.gaps(DB, PostgresSinks.Keys.MAY_EXIST),
                                PostgresSinks.predictions(DB, PostgresSinks.Keys.MAY_EXIST)),
                        ParityFixture.snapshot(ParityFixture.V2),
                        registry,
                        "1m",
                        60,
                        ServingParams.DEFAULTS,
                        ScoreBatching.OFF,
                        null)
                .build(env);
        return StreamSupport.stream(
                        env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
                .map(JobVertex::getName)
                .toList();
    }
}
