package io.chronoprice.job;

import io.chronoprice.db.SchemaMigrations;
import io.chronoprice.job.registry.AutoPromotion;
import io.chronoprice.job.registry.ModelRegistry;
import io.chronoprice.job.registry.ModelStatus;
import io.chronoprice.job.registry.RegisteredModel;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.registry.RegistryWatcher;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.ModelMetadata;
import io.chronoprice.job.scoring.OnnxModel;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.sink.PostgresSinks;
import io.chronoprice.job.source.CandleSource;
import io.chronoprice.job.source.CandleSourceBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts ChronoPrice: checks the model, migrates the schema, registers the model, and runs the job live (on a
 * cluster, or in-process with the Flink web UI) scoring every version the registry holds and following its
 * changes. The backtest module runs the same job bounded through {@link #run}.
 */
public final class JobMain {

    private static final Logger LOG = LoggerFactory.getLogger(JobMain.class);

    private JobMain() {}

    public static void main(String[] args) throws Exception {
        JobOptions options;
        try {
            options = JobOptions.parse(args, System.getenv()).checked();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.isBacktest()) {
            System.err.println("A backtest runs with ./chronoprice backtest (io.chronoprice.backtest.BacktestMain),"
                    + " which brings the replay exchange; the job's jar does not carry it.");
            System.exit(2);
            return;
        }
        run(options, options.exchange(), options.baseUrl(), options.symbols(), null);
    }

    /**
     * Builds and executes the job; {@code backtestStart} (the first open time to read) makes it a bounded run of
     * the configured model only, which ends once every candle the exchange has is processed (the backtest).
     */
    public static ModelMetadata run(
            JobOptions options, String exchangeLabel, String baseUrl, List<String> symbols, Long backtestStart)
            throws Exception {
        ModelArtifact artifact =
                options.model() == null ? ModelArtifact.bundled() : ModelArtifact.fromFile(options.model());
        ModelMetadata model;
        try (OnnxModel loaded = OnnxModel.load(artifact, options.interval(), 0)) {
            model = loaded.metadata();
        }
        SchemaMigrations.apply(options.db());
        ModelRegistry registry = new ModelRegistry(options.db());
        ModelStatus status = registry.add(artifact, model, "job");
        LOG.info(
                "Model {} ({} candles x {} features) from {} is registered as {}",
                model.version(),
                model.windowSize(),
                model.featureNames().size(),
                artifact.source(),
                status.code());

        RegistrySnapshot models;
        Source<RegistrySnapshot, ?, ?> registrySource = null;
        if (backtestStart != null) {
            // A backtest measures the model it was given, whatever the registry serves live.
            models = RegistrySnapshot.of(
                    new RegisteredModel(model.version(), ModelStatus.CHAMPION, artifact.sha256(), artifact.bytes()));
        } else {
            if (registry.promoteIfChampionUnservable(model.version(), "job")) {
                LOG.warn(
                        "The {} champion had no artifact in the registry; {} serves now",
                        options.interval(),
                        model.version());
            }
            models = registry.snapshot(options.interval());
            LOG.info(
                    "Scoring {}; registry read every {} s",
                    models.models(),
                    options.registryPoll().toSeconds());
            AutoPromotion promotion = options.autoPromoteAfter() == 0
                    ? null
                    : new AutoPromotion(exchangeLabel, options.autoPromoteAfter(), 0.05, Duration.ofMinutes(1));
            registrySource =
                    RegistryWatcher.source(options.db(), options.interval(), promotion, options.registryPoll());
        }

        CandleSourceBuilder source = CandleSource.builder()
                .exchange(options.exchange())
                .baseUri(URI.create(baseUrl))
                .symbols(symbols)
                .interval(options.interval())
                .backfillCandles(model.windowSize() + 10)
                // A backtest reads its own embedded replay exchange, whose Binance-like request weight guards
                // nothing: respecting it paused the whole run until the next wall-clock minute.
                .usedWeightLimit(backtestStart != null ? Integer.MAX_VALUE : options.usedWeightLimit());
        if (backtestStart != null) {
            source.startAt(Instant.ofEpochMilli(backtestStart)).boundedAtServerTime();
        }
        PostgresSinks.Keys keys = backtestStart != null && !anyRowFiledUnder(options, exchangeLabel)
                ? PostgresSinks.Keys.NEW
                : PostgresSinks.Keys.MAY_EXIST;
        ChronoPriceJob job = new ChronoPriceJob(
                source.build(),
                new ChronoPriceJob.Sinks(
                        PostgresSinks.candles(options.db(), keys),
                        PostgresSinks.gaps(options.db(), keys),
                        PostgresSinks.predictions(options.db(), keys)),
                models,
                registrySource,
                options.interval(),
                model.windowSize(),
                ServingParams.DEFAULTS,
                options.scoreBatching(),
                exchangeLabel.equals(options.exchange()) ? null : exchangeLabel);

        StreamExecutionEnvironment env = environment(options, backtestStart == null);
        job.build(env);
        String name = jobName(exchangeLabel, symbols, options.interval());
        if (options.clusterAddress() == null) {
            env.execute(name);
        } else {
            runOnCluster(env, name, options.clusterAddress());
        }
        return model;
    }

    /**
     * Whether rows are filed under the label already: a backtest under a new label writes new keys only, and its
     * sinks insert them instead of upserting (a third less of PostgreSQL's work per row).
     */
    private static boolean anyRowFiledUnder(JobOptions options, String exchangeLabel) throws SQLException {
        try (Connection c = options.db().connect()) {
            boolean any = PostgresSinks.anyRowFiledUnder(c, exchangeLabel);
            LOG.info(
                    any
                            ? "Rows are filed under {} already: the run's rows are upserted over them"
                            : "No row is filed under {} yet: the run inserts its rows (a restarted attempt upserts)",
                    exchangeLabel);
            return any;
        }
    }

    /**
     * The job's name in the Flink web UI and in every metric's {@code job_name} label: its series, with the symbols
     * listed up to five (a backtest of 200 symbols named them all in 1,800 characters on each of about 1,000 series).
     */
    static String jobName(String exchangeLabel, List<String> symbols, String interval) {
        String what = symbols.size() <= 5 ? String.join(",", symbols) : symbols.size() + " symbols";
        return "ChronoPrice " + exchangeLabel + " " + what + " " + interval;
    }

    /**
     * Submits a backtest to a running cluster and waits for it to finish. The job polls this process's replay
     * exchange, so it is cancelled if this process stops first (Ctrl-C) rather than left retrying an exchange that
     * is gone.
     */
    private static void runOnCluster(StreamExecutionEnvironment env, String name, InetSocketAddress cluster)
            throws Exception {
        // Hooked before the submission: a stop that comes while it is under way (the job may already run on the
        // cluster before this client hears back) waits for its outcome, then cancels the job.
        CompletableFuture<JobClient> submitted = new CompletableFuture<>();
        Thread cancel = new Thread(() -> cancelOnStop(submitted), "cancel-backtest-job");
        Runtime.getRuntime().addShutdownHook(cancel);
        JobClient client;
        try {
            client = env.executeAsync(name);
            submitted.complete(client);
        } catch (Exception e) {
            submitted.completeExceptionally(e);
            removeHook(cancel);
            throw new ClusterUnavailableException(
                    "No Flink cluster took the backtest at " + cluster.getHostString() + ":" + cluster.getPort() + " ("
                            + rootMessage(e) + "); is it running, or is the address its web UI's?",
                    e);
        }
        LOG.info(
                "Backtest job {} submitted to the cluster at {}:{} (its web UI shows it as '{}')",
                client.getJobID(),
                cluster.getHostString(),
                cluster.getPort(),
                name);
        try {
            // Flink's client asks for a job's result with a back-off of up to 2 s, which a 10 s backtest would spend
            // waiting after its end; the status, asked every 50 ms, ends the wait when the job does.
            while (!client.getJobStatus().get().isGloballyTerminalState()) {
                Thread.sleep(50);
            }
            client.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            throw new ClusterUnavailableException(
                    "Backtest job " + client.getJobID() + " did not finish on the cluster at "
                            + cluster.getHostString() + ":" + cluster.getPort() + " (" + rootMessage(e)
                            + "); the cluster's log says more",
                    e);
        } finally {
            removeHook(cancel);
        }
    }

    private static void cancelOnStop(CompletableFuture<JobClient> submitted) {
        JobClient client;
        try {
            client = submitted.get(30, TimeUnit.SECONDS);
        } catch (Exception notSubmitted) {
            return;
        }
        try {
            client.cancel().get(30, TimeUnit.SECONDS);
            LOG.info("Backtest job {} cancelled", client.getJobID());
        } catch (Exception e) {
            LOG.warn("Backtest job {} not cancelled: {}", client.getJobID(), e.toString());
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: the JVM is stopping anyway
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** A backtest that a cluster (--cluster) did not take or did not finish: reported as one clear line. */
    public static final class ClusterUnavailableException extends RuntimeException {
        ClusterUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Flink's Prometheus reporter, as the cluster configurations in deploy/ set it up: the in-process cluster of
     * the local run has no configuration file, so it gets the same settings here. Label values are kept as they
     * are ({@code reason="malformed-response"}, {@code operator_name="candles-to-postgres: Writer"}) instead of
     * having every character outside [a-zA-Z0-9:_] replaced, so the dashboards match the names in the Flink UI.
     * Flink's meters (the {@code ...PerSecond} rates of its counters, about 300 of the job's 1,000 series) are left
     * out: Prometheus computes the same rates from the counters ({@code rate(..._numRecordsIn[1m])}), and every
     * scrape of them cost the idle job CPU. Gauges named {@code ...PerSecond}, such as
     * {@code backPressuredTimeMsPerSecond}, are not meters and stay. The labels {@code task_id},
     * {@code operator_id} and {@code task_attempt_id} are left out too: random ids that {@code task_name},
     * {@code operator_name}, {@code subtask_index} and {@code task_attempt_num} already tell apart (every operator
     * has a name of its own), and which were about 40 % of each operator series' bytes.
     */
    static Map<String, String> prometheusReporter(int port) {
        return Map.of(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                "metrics.reporter.prom.port",
                Integer.toString(port),
                "metrics.reporter.prom.filterLabelValueCharacters",
                "false",
                "metrics.reporter.prom.filter.excludes",
                "*:*:meter",
                "metrics.reporter.prom.scope.variables.excludes",
                "task_id;operator_id;task_attempt_id");
    }

    /**
     * A live job sees a candle per series per interval, so it sends each record on at once instead of buffering it
     * for up to 100 ms per network hop: fresher rows, and no output-flusher thread per task waking ten times a second
     * to find nothing. Watermarks (which only let a quiet series go idle) are emitted every second instead of every
     * 200 ms. A backtest keeps Flink's defaults, which suit its full buffers; they are set rather than assumed,
     * since the local stack's cluster, which may run a backtest (--cluster), has the live tuning as its own.
     */
    static Map<String, String> tuning(boolean live) {
        return live
                ? Map.of("execution.buffer-timeout.interval", "0 ms", "pipeline.auto-watermark-interval", "1 s")
                : Map.of("execution.buffer-timeout.interval", "100 ms", "pipeline.auto-watermark-interval", "200 ms");
    }

    static StreamExecutionEnvironment environment(JobOptions options, boolean live) {
        // The restart strategy is left to the cluster (Flink's default with checkpointing: exponential delay).
        Configuration conf = Configuration.fromMap(Map.of(
                "execution.checkpointing.interval",
                options.checkpointInterval().toMillis() + " ms",
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION"));
        tuning(live).forEach(conf::setString);
        // Without --checkpoint-dir the cluster's own execution.checkpointing.dir applies.
        if (!options.checkpointDir().isBlank()) {
            conf.setString("execution.checkpointing.dir", options.checkpointDir());
        }
        StreamExecutionEnvironment env;
        InetSocketAddress cluster = options.clusterAddress();
        if (cluster != null) {
            // No jar is shipped: the cluster runs the job from its own classpath (the local stack's cluster is this
            // job's own JVM, and a second copy of the job's classes in a child class loader would load ONNX
            // Runtime's native library twice, which the JVM refuses). Hence a cluster on this host, from this build.
            // A cluster on this host answers at once or not at all: fail in seconds, not after 20 tries 3 s apart.
            conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
            conf.set(RestOptions.RETRY_DELAY, Duration.ofMillis(500));
            env = StreamExecutionEnvironment.createRemoteEnvironment(cluster.getHostString(), cluster.getPort(), conf);
        } else if (options.localWebUi()) {
            conf.set(RestOptions.PORT, options.webUiPort());
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            // Slots for the live job and, beside it, one backtest of the same parallelism (--cluster, which
            // `./chronoprice backtest` uses while the stack is up). A slot holds no memory until a task runs in it.
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2 * options.parallelism());
            prometheusReporter(options.metricsPort()).forEach(conf::setString);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        env.setParallelism(options.parallelism());
        return env;
    }
}
