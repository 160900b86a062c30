package io.chronoprice.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.DemoSlice;
import io.chronoprice.job.JobMain;
import io.chronoprice.job.JobOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backtest submitted with --cluster to a running cluster's REST API, as `./chronoprice backtest` does with the stack up. */
class BacktestOnClusterITCase {

    /** 2021-05-14 00:00 UTC, the first candle of the demo data. */
    private static final long FROM = 1620950400000L;

    private static EmbeddedDatabase db;

    /**
     * A cluster of its own rather than the test harness's: Flink refuses a remote environment where the harness has
     * installed its own as the context one, and the local stack's cluster is a plain one with a REST API too.
     */
    private static MiniCluster cluster;

    private static String address;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedDatabase.startForTests();
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        cluster.start();
        URI rest = cluster.getRestAddress().get();
        address = rest.getHost() + ":" + rest.getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
        db.close();
    }

    @Test
    void aBacktestOnARunningClusterStoresEveryRowAndIsAFinishedJobThere(@TempDir Path data) throws Exception {
        int candles =
                DemoSlice.write(data, "BTCUSDT", FROM, FROM + 199 * 60_000L).size();

        String report = BacktestCommand.printedBy(() -> BacktestMain.run(options(data, "on-cluster", address)));

        assertThat(report).contains("on the cluster at " + address).contains("| BTCUSDT | 140 |");
        assertThat(BacktestCommand.stored(db.writer(), "on-cluster"))
                .isEqualTo(new BacktestCommand.Stored(candles, candles - 59));
        assertThat(state("on-cluster")).isEqualTo(JobStatus.FINISHED);
    }

    /**
     * The job polls the command's own replay exchange: left running after the command stopped, it would retry an
     * exchange that is gone until someone cancelled it by hand.
     */
    @Test
    void aBacktestWhoseCommandIsStoppedIsCancelledOnTheCluster(@TempDir Path data) throws Exception {
        // Two symbols of a week each: the job is still reading them when it is seen running and the command stopped.
        DemoSlice.write(data, "BTCUSDT", FROM, FROM + 9_999 * 60_000L);
        DemoSlice.write(data, "ETHUSDT", FROM, FROM + 9_999 * 60_000L);
        List<String> commandLine = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The local run's logging, so that the command's output says what its shutdown hook did.
                "-Dlog4j.configurationFile="
                        + Path.of("..", "deploy", "local", "log4j2.properties").toAbsolutePath(),
                "-cp",
                System.getProperty("java.class.path"),
                BacktestMain.class.getName()));
        commandLine.addAll(List.of(args(data, "stopped", address)));
        Process command = new ProcessBuilder(commandLine)
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("command.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> state("stopped"), s -> s == JobStatus.RUNNING);
            command.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C
            assertThat(command.waitFor(90, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(30)).until(() -> state("stopped"), s -> s == JobStatus.CANCELED);
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError("The command's output:\n" + Files.readString(data.resolve("command.log")), e);
        } finally {
            command.destroyForcibly();
        }
    }

    @Test
    void aClusterThatIsNotThereFailsTheBacktestInSecondsNamingTheAddress(@TempDir Path data) throws Exception {
        DemoSlice.write(data, "BTCUSDT", FROM, FROM + 99 * 60_000L);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String nowhere = "127.0.0.1:" + port;

        long start = System.nanoTime();
        assertThatThrownBy(() -> BacktestMain.run(options(data, "no-cluster", nowhere)))
                .isInstanceOf(JobMain.ClusterUnavailableException.class)
                .hasMessageContaining("No Flink cluster took the backtest at " + nowhere)
                .hasMessageContaining("Connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    /** The state of the cluster's job for the run label, or null before it is submitted. */
    private static JobStatus state(String label) throws Exception {
        return cluster.listJobs().get().stream()
                .filter(job -> job.getJobName().startsWith("ChronoPrice binance@" + label + " "))
                .map(JobStatusMessage::getJobState)
                .findFirst()
                .orElse(null);
    }

    private static JobOptions options(Path data, String label, String cluster) {
        return JobOptions.parse(args(data, label, cluster), Map.of()).checked();
    }

    /** A backtest's flags, as `./chronoprice backtest` passes them with the stack up. */
    private static String[] args(Path data, String label, String cluster) {
        return BacktestCommand.flags(data, label, db.writer().jdbcUrl(), "--cluster", cluster);
    }
}
