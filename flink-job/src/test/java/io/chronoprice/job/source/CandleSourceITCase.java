package io.chronoprice.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.replay.ReplayExchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole source on a MiniCluster (parallelism 2) against the replay exchange at speed "max". */
class CandleSourceITCase {
    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static ReplayExchange exchange;

    @BeforeAll
    static void startExchange() throws Exception {
        exchange =
                ReplayExchange.builder().dataDir(DemoData.DIR).port(0).speed(0).start();
    }

    @AfterAll
    static void stopExchange() {
        exchange.close();
    }

    @Test
    void aBoundedSourceEmitsEveryCandleOfEverySymbolOnceInOrder() throws Exception {
        CandleSource source = CandleSource.builder()
                .exchange("binance")
                .baseUri(exchange.baseUri())
                .symbols(SYMBOLS)
                .interval("1m")
                .startAt(Instant.ofEpochMilli(DemoData.binance("BTCUSDT").get(0).openTimeMs()))
                .boundedAtServerTime()
                .build();
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        List<Candle> collected;
        try (var it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "candles")
                .executeAndCollect("candle-source-itcase")) {
            collected = new ArrayList<>();
            it.forEachRemaining(collected::add);
        }

        Map<String, List<Candle>> bySymbol = collected.stream().collect(Collectors.groupingBy(Candle::symbol));
        assertThat(bySymbol).containsOnlyKeys(SYMBOLS);
        for (String symbol : SYMBOLS) {
            // One split is read by one subtask, so its candles arrive in order even at parallelism 2.
            assertThat(bySymbol.get(symbol)).as(symbol).containsExactlyElementsOf(DemoData.binance(symbol));
        }
    }
}
