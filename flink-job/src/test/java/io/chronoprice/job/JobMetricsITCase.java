package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.scoring.ScoreBatching;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.sink.PostgresSinks;
import io.chronoprice.job.source.CandleSource;
import io.chronoprice.job.source.exchange.RejectReason;
import io.chronoprice.replay.FaultConfig;
import io.chronoprice.replay.ReplayExchange;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's metrics as Flink's Prometheus reporter serves them, with the reporter settings of the local run: the
 * pipeline runs on a MiniCluster against a replay exchange that answers some requests with broken bodies and 5xx,
 * checkpointing every 200 ms, and the reporter's HTTP endpoint is scraped like Prometheus scrapes it. The metric
 * names and labels checked here are the ones the dashboards and alerts query.
 */
class JobMetricsITCase {

    /** Flink's metric groups log name collisions here (AbstractMetricGroup's logger). */
    private static final String METRIC_GROUP_LOGGER = "org.apache.flink.metrics.MetricGroup";

    private static final String OP = "flink_taskmanager_job_task_operator_";
    private static final long FROM = 1621015200000L; // 2021-05-14 18:00 UTC
    private static final int CANDLES = 200;
    /** The close of the last candle of the slice: after it the exchange's clock runs on without new candles. */
    private static final long LAST_CLOSE = FROM + CANDLES * 60_000L;

    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

    private static final int METRICS_PORT = freePort();
    private static final List<String> METRIC_WARNINGS = new CopyOnWriteArrayList<>();
    private static final CapturingAppender APPENDER = new CapturingAppender();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(reporterConfiguration())
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path dataDir;

    private static EmbeddedDatabase db;

    @BeforeAll
    static void setUp() {
        captureMetricGroupWarnings();
        db = EmbeddedDatabase.startForTests();
        for (String symbol : SYMBOLS) {
            assertThat(DemoSlice.write(dataDir, symbol, FROM, LAST_CLOSE - 60_000L))
                    .hasSize(CANDLES);
        }
    }

    @AfterAll
    static void tearDown() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().removeLogger(METRIC_GROUP_LOGGER);
        ctx.updateLoggers();
        APPENDER.stop();
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theReporterServesTheMetricsTheDashboardsQueryAndNoNameCollidesAtCheckpoints() throws Exception {
        FaultConfig faults =
                FaultConfig.NONE.withMalformedBodies(0.15).withServerErrors(0.1).withSeed(3);
        try (ReplayExchange replay = ReplayExchange.builder()
                .dataDir(dataDir)
                .port(0)
                .startTime(Instant.ofEpochMilli(FROM + 70 * 60_000L))
                .speed(600)
                .faults(faults)
                .start()) {
            Configuration conf = new Configuration();
            conf.setString("execution.checkpointing.interval", "200 ms");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            job(replay).build(env);
            JobClient client = env.executeAsync("metrics");
            try {
                // Every candle read and scored (the counters stand still from then on), and enough checkpoints
                // that a per-checkpoint warning would have shown up many times over.
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            Map<String, Double> m = scrape();
                            return sum(m, OP + "candleSource_candlesEmitted", s -> true) == CANDLES * SYMBOLS.size()
                                    && sum(m, OP + "numRecordsIn", writer("predictions-to-postgres"))
                                            == (CANDLES - 59) * SYMBOLS.size()
                                    && sum(m, "flink_jobmanager_job_numberOfCompletedCheckpoints", s -> true) >= 10;
                        });
                // The source goes on polling for new candles, so faults would keep its counters moving while a
                // scrape reads them one by one. With the faults off they settle, and one scrape sees them together.
                replay.faults().configure(FaultConfig.NONE);
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> errorCounters(scrape()).equals(errorCounters(scrape())));
                long exchangeBefore = replay.clock().nowMillis();
                Map<String, Double> metrics = scrape();
                long exchangeAfter = replay.clock().nowMillis();

                assertThat(METRIC_WARNINGS).as("metric group warnings").isEmpty();
                assertOperatorRecordCountsAndNoCommitters(metrics);
                assertSourceMetrics(metrics, exchangeBefore, exchangeAfter);
                assertModelMetrics(metrics);
                assertThat(sum(metrics, "flink_jobmanager_job_numRestarts", s -> true))
                        .isZero();
                // Checkpoints triggered before every task runs (the model loads in open()) count as failed; once
                // running, none fails.
                double failed = sum(metrics, "flink_jobmanager_job_numberOfFailedCheckpoints", s -> true);
                double completed = sum(metrics, "flink_jobmanager_job_numberOfCompletedCheckpoints", s -> true);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> sum(scrape(), "flink_jobmanager_job_numberOfCompletedCheckpoints", s -> true)
                                >= completed + 5);
                assertThat(sum(scrape(), "flink_jobmanager_job_numberOfFailedCheckpoints", s -> true))
                        .isEqualTo(failed);
                assertThat(sum(metrics, "flink_jobmanager_job_lastCheckpointDuration", s -> true))
                        .isNotNegative();
                assertThat(series(metrics, "flink_taskmanager_job_task_backPressuredTimeMsPerSecond", s -> true))
                        .isNotEmpty()
                        .allSatisfy(v -> assertThat(v).isBetween(0.0, 1000.0));
                // Meters are left to Prometheus's rate(); their counters stay. No random ids as labels.
                assertThat(metrics.keySet())
                        .noneMatch(k -> k.startsWith(OP + "numRecordsInPerSecond")
                                || k.startsWith("flink_taskmanager_job_task_numRecordsOutPerSecond"))
                        .noneMatch(k ->
                                k.contains("task_attempt_id=") || k.contains("operator_id=") || k.contains("task_id="));
            } finally {
                client.cancel().get();
            }
        }
    }

    /** Every writer shows the records it took in, and none of the at-least-once sinks has a committer any more. */
    private static void assertOperatorRecordCountsAndNoCommitters(Map<String, Double> m) {
        assertThat(m.keySet()).noneMatch(k -> k.contains("Committer"));
        for (String writer :
                List.of("candles-to-postgres: Writer", "gaps-to-postgres: Writer", "predictions-to-postgres: Writer")) {
            assertThat(series(m, OP + "numRecordsIn", s -> s.contains("operator_name=\"" + writer + "\"")))
                    .as(writer + " numRecordsIn per subtask")
                    .hasSize(2);
        }
        assertThat(sum(m, OP + "numRecordsIn", writer("candles-to-postgres"))).isEqualTo(CANDLES * SYMBOLS.size());
        // Windows of 60 gap-free candles: one prediction per candle from the 60th on, for each symbol.
        assertThat(sum(m, OP + "numRecordsIn", writer("predictions-to-postgres")))
                .isEqualTo((CANDLES - 59) * SYMBOLS.size());
    }

    private static List<Double> errorCounters(Map<String, Double> m) {
        return List.of(
                sum(m, OP + "candleSource_httpErrors", s -> true),
                sum(m, OP + "candleSource_candlesRejected", s -> true),
                sum(m, OP + "candleSource_retries", s -> true));
    }

    private static Predicate<String> writer(String sink) {
        return s -> s.contains("operator_name=\"" + sink + ": Writer\"");
    }

    private static void assertSourceMetrics(Map<String, Double> m, long exchangeBefore, long exchangeAfter) {
        String rejected = OP + "candleSource_reason_candlesRejected";
        double malformed = sum(m, rejected, s -> s.contains("reason=\"malformed-response\""));
        assertThat(malformed)
                .as("broken bodies are rejected as malformed responses")
                .isPositive();
        for (RejectReason reason : RejectReason.values()) {
            assertThat(series(m, rejected, s -> s.contains("reason=\"" + reason.label() + "\"")))
                    .as("a series per subtask for " + reason.label())
                    .hasSize(2);
        }
        assertThat(sum(m, rejected, s -> true)).isEqualTo(sum(m, OP + "candleSource_candlesRejected", s -> true));
        double httpErrors = sum(m, OP + "candleSource_httpErrors", s -> true);
        assertThat(httpErrors).as("5xx answers").isPositive();
        assertThat(sum(m, OP + "candleSource_retries", s -> true)).isEqualTo(httpErrors + malformed);

        for (String symbol : SYMBOLS) {
            Predicate<String> ofSymbol = s -> s.contains("symbol=\"" + symbol + "\"");
            assertThat(sum(m, OP + "candleSource_symbol_candlesEmitted", ofSymbol))
                    .as(symbol + " candles")
                    .isEqualTo(CANDLES);
            // The slice has ended, the exchange's clock has not: the lag is the exchange time since the last close,
            // as the reader extrapolates it from its latest server time reading. At 600x, the 120 s allowed are
            // 200 ms of wall-clock time between a server time read and the reader noting it.
            long slack = 120_000;
            assertThat(series(m, OP + "candleSource_symbol_pollLagMs", ofSymbol))
                    .singleElement()
                    .satisfies(lag -> assertThat(lag)
                            .isBetween(
                                    (double) exchangeBefore - LAST_CLOSE - slack,
                                    (double) exchangeAfter - LAST_CLOSE + slack));
        }
    }

    private static void assertModelMetrics(Map<String, Double> m) {
        String latency = OP + "model_inferenceLatencyMicros";
        Predicate<String> v2 = s -> s.contains("model=\"lstm-1m-v2\"");
        List<Double> p50 = series(m, latency, v2.and(s -> s.contains("quantile=\"0.5\"")));
        List<Double> p99 = series(m, latency, v2.and(s -> s.contains("quantile=\"0.99\"")));
        assertThat(p50).hasSize(2);
        assertThat(p99).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(p50.get(i)).isPositive().isLessThanOrEqualTo(p99.get(i));
        }
        assertThat(sum(m, latency + "_count", v2)).isEqualTo(sum(m, OP + "model_predictions", v2));
    }

    private static ChronoPriceJob job(ReplayExchange replay) {
        DbSettings writer = db.writer();
        return new ChronoPriceJob(
                CandleSource.builder()
                        .exchange("binance")
                        .baseUri(replay.baseUri())
                        .symbols(SYMBOLS)
                        .interval("1m")
                        // From the slice's first candle whenever the job gets to its first poll.
                        .startAt(Instant.ofEpochMilli(FROM))
                        .closeLag(Duration.ofMillis(10))
                        .minPollDelay(Duration.ofMillis(5))
                        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                        .usedWeightLimit(1_000_000)
                        .build(),
                new ChronoPriceJob.Sinks(
                        PostgresSinks.candles(writer, PostgresSinks.Keys.MAY_EXIST),
                        PostgresSinks.gaps(writer, PostgresSinks.Keys.MAY_EXIST),
                        PostgresSinks.predictions(writer, PostgresSinks.Keys.MAY_EXIST)),
                ParityFixture.snapshot(ParityFixture.V2),
                null,
                "1m",
                60,
                ServingParams.DEFAULTS,
                ScoreBatching.DEFAULT,
                null);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Configuration reporterConfiguration() {
        Configuration conf = new Configuration();
        JobMain.prometheusReporter(METRICS_PORT).forEach(conf::setString);
        return conf;
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*})?) (\\S+)$");

    /** Every sample of the text exposition format, keyed by name and labels as written. */
    private static Map<String, Double> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + METRICS_PORT + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher matcher = SAMPLE.matcher(line);
            if (!line.startsWith("#") && matcher.matches()) {
                samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        }
        return samples;
    }

    /** Values of the samples of one metric (exact name, any labels) whose key matches. */
    private static List<Double> series(Map<String, Double> samples, String name, Predicate<String> key) {
        List<Double> values = new ArrayList<>();
        samples.forEach((k, v) -> {
            if ((k.equals(name) || k.startsWith(name + "{")) && key.test(k)) {
                values.add(v);
            }
        });
        return values;
    }

    private static double sum(Map<String, Double> samples, String name, Predicate<String> key) {
        return series(samples, name, key).stream()
                .mapToDouble(Double::doubleValue)
                .sum();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Collects WARN and above from Flink's metric groups. The test logging configuration does not log at WARN, so
     * the logger gets its own level for this class.
     */
    private static void captureMetricGroupWarnings() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        APPENDER.start();
        LoggerConfig logger = new LoggerConfig(METRIC_GROUP_LOGGER, Level.WARN, false);
        logger.addAppender(APPENDER, Level.WARN, null);
        ctx.getConfiguration().addLogger(METRIC_GROUP_LOGGER, logger);
        ctx.updateLoggers();
    }

    private static final class CapturingAppender extends AbstractAppender {
        CapturingAppender() {
            super("metric-group-warnings", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            METRIC_WARNINGS.add(event.getMessage().getFormattedMessage());
        }
    }
}
