package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.job.scoring.ScoreBatching;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        JobOptions options = JobOptions.parse(
                new String[] {"--symbols", "BTCUSDT, XRPUSDT", "--parallelism", "4", "--used-weight-limit", "5000"},
                Map.of(
                        "CHRONOPRICE_SYMBOLS",
                        "ETHUSDT",
                        "CHRONOPRICE_INTERVAL",
                        "5m",
                        "CHRONOPRICE_DB_PASSWORD",
                        "s3cret"));

        assertThat(options.symbols()).containsExactly("BTCUSDT", "XRPUSDT");
        assertThat(options.parallelism()).isEqualTo(4);
        assertThat(options.usedWeightLimit()).isEqualTo(5000);
        assertThat(options.interval()).isEqualTo("5m");
        assertThat(options.exchange()).isEqualTo("binance");
        assertThat(options.baseUrl()).isEqualTo("https://api.binance.com");
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.db().password()).isEqualTo("s3cret");
        assertThat(options.db().toString()).doesNotContain("s3cret");
        assertThat(options.isBacktest()).isFalse();
    }

    @Test
    void theLocalRunsPortsComeFromFlagsOrTheEnvironment() {
        JobOptions defaults = JobOptions.parse(new String[] {"--local-web-ui"}, Map.of());
        assertThat(defaults.webUiPort()).isEqualTo(8081);
        assertThat(defaults.metricsPort()).isEqualTo(9249);

        JobOptions set = JobOptions.parse(
                new String[] {"--local-web-ui", "--web-ui-port", "18081"},
                Map.of("CHRONOPRICE_FLINK_METRICS_PORT", "19249"));
        assertThat(set.webUiPort()).isEqualTo(18081);
        assertThat(set.metricsPort()).isEqualTo(19249);
    }

    @Test
    void coinbaseDefaultsToItsPublicApi() {
        JobOptions options = JobOptions.parse(new String[] {"--exchange", "coinbase"}, Map.of());

        assertThat(options.baseUrl()).isEqualTo("https://api.exchange.coinbase.com");
    }

    @Test
    void badFlagsAreRejectedWithUsage() {
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--symbol", "BTCUSDT"}, Map.of()))
                .hasMessageContaining("Unknown flag --symbol")
                .hasMessageContaining("Usage");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--parallelism", "zero"}, Map.of()))
                .hasMessageContaining("--parallelism must be a positive integer");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--exchange", "kraken"}, Map.of()))
                .hasMessageContaining("binance or coinbase");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--model"}, Map.of()))
                .hasMessageContaining("--model needs a value");
    }

    @Test
    void exportNeedsABacktest() {
        assertThat(JobOptions.parse(new String[] {"--backtest", "data", "--export", "out.csv"}, Map.of())
                        .checked()
                        .exportFile())
                .hasToString("out.csv");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--export", "out.csv"}, Map.of())
                        .checked())
                .hasMessageContaining("--export writes a backtest's forecasts; it needs --backtest");
    }

    @Test
    void aClusterForTheBacktestIsAHostAndPortFromTheFlagOrTheEnvironment() {
        JobOptions flag = JobOptions.parse(new String[] {"--backtest", "data", "--cluster", "127.0.0.1:8081"}, Map.of())
                .checked();
        JobOptions env = JobOptions.parse(
                        new String[] {"--backtest", "data"}, Map.of("CHRONOPRICE_BACKTEST_CLUSTER", "localhost:18081"))
                .checked();
        JobOptions unset = JobOptions.parse(
                        new String[] {"--backtest", "data"}, Map.of("CHRONOPRICE_BACKTEST_CLUSTER", ""))
                .checked();

        assertThat(flag.clusterAddress().getHostString()).isEqualTo("127.0.0.1");
        assertThat(flag.clusterAddress().getPort()).isEqualTo(8081);
        assertThat(env.clusterAddress().getHostString()).isEqualTo("localhost");
        assertThat(env.clusterAddress().getPort()).isEqualTo(18081);
        assertThat(unset.clusterAddress()).as("empty: in-process").isNull();
        assertThat(JobOptions.parse(new String[0], Map.of("CHRONOPRICE_BACKTEST_CLUSTER", "localhost:18081"))
                        .checked()
                        .clusterAddress())
                .as("the live job ignores the backtest's variable")
                .isNull();
    }

    @Test
    void aClusterNeedsABacktestAndAValidAddress() {
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--cluster", "127.0.0.1:8081"}, Map.of())
                        .checked())
                .hasMessageContaining("--cluster runs a backtest on a running cluster; it needs --backtest");
        for (String bad : new String[] {"8081", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", ":8081"}) {
            assertThatThrownBy(() -> JobOptions.parse(new String[] {"--backtest", "data", "--cluster", bad}, Map.of())
                            .checked())
                    .as(bad)
                    .hasMessageContaining("--cluster must be HOST:PORT");
        }
    }

    @Test
    void registryPollAndAutomaticPromotionDefaultToTenSecondsAndOff() {
        JobOptions defaults = JobOptions.parse(new String[0], Map.of());
        JobOptions set = JobOptions.parse(
                new String[] {"--registry-poll", "2"}, Map.of("CHRONOPRICE_AUTO_PROMOTE_AFTER", "5000"));

        assertThat(defaults.registryPoll()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.autoPromoteAfter()).isZero();
        assertThat(set.registryPoll()).isEqualTo(Duration.ofSeconds(2));
        assertThat(set.autoPromoteAfter()).isEqualTo(5000);
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--auto-promote-after", "-3"}, Map.of()))
                .hasMessageContaining("--auto-promote-after must be a positive integer");
    }

    @Test
    void scoringBatchesDefaultTo64WindowsAnd5MsAndOneTurnsThemOff() {
        JobOptions defaults = JobOptions.parse(new String[0], Map.of());
        JobOptions off =
                JobOptions.parse(new String[] {"--score-batch", "1"}, Map.of("CHRONOPRICE_SCORE_BATCH_WAIT_MS", "0"));

        assertThat(defaults.scoreBatching()).isEqualTo(ScoreBatching.DEFAULT).isEqualTo(new ScoreBatching(64, 5));
        assertThat(off.scoreBatching()).isEqualTo(ScoreBatching.OFF);
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--score-batch", "0"}, Map.of()))
                .hasMessageContaining("--score-batch must be a positive integer");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--score-batch", "5000"}, Map.of()))
                .hasMessageContaining("1..4096");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--score-batch-wait-ms", "60000"}, Map.of()))
                .hasMessageContaining("0..1000 ms");
    }
}
