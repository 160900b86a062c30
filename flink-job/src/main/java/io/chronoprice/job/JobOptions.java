package io.chronoprice.job;

import io.chronoprice.db.DbSettings;
import io.chronoprice.job.scoring.ScoreBatching;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's settings: command-line flags ({@code --name value}), each falling back to an environment
 * variable, then to a default for the local run. The database password is read from the environment only,
 * so it never shows up in a process list or the Flink UI's job parameters.
 */
public record JobOptions(
        String exchange,
        String baseUrl,
        List<String> symbols,
        String interval,
        Path model,
        DbSettings db,
        String checkpointDir,
        Duration checkpointInterval,
        int parallelism,
        int usedWeightLimit,
        boolean localWebUi,
        int webUiPort,
        int metricsPort,
        Path backtestDataDir,
        String runLabel,
        Path exportFile,
        String cluster,
        Duration registryPoll,
        int autoPromoteAfter,
        ScoreBatching scoreBatching) {

    static final String USAGE = String.join(
            "\n",
            "Usage: JobMain [--flag value ...]   (each flag falls back to the env variable in brackets)",
            "  --exchange binance|coinbase        [CHRONOPRICE_EXCHANGE]        default binance",
            "  --base-url URL                     [CHRONOPRICE_EXCHANGE_URL]    default the exchange's public API",
            "  --symbols BTCUSDT,ETHUSDT          [CHRONOPRICE_SYMBOLS]         default BTCUSDT,ETHUSDT,SOLUSDT",
            "  --interval 1m                      [CHRONOPRICE_INTERVAL]        default 1m",
            "  --model PATH                       [CHRONOPRICE_MODEL]           default the model in the jar",
            "  --jdbc-url URL                     [CHRONOPRICE_DB_URL]          default the local embedded DB",
            "  --jdbc-user USER                   [CHRONOPRICE_DB_USER]         default chronoprice",
            "  (password: env CHRONOPRICE_DB_PASSWORD only)",
            "  --checkpoint-dir URI               [CHRONOPRICE_CHECKPOINT_DIR]  default the cluster's execution.checkpointing.dir",
            "  --checkpoint-interval SECONDS      [CHRONOPRICE_CHECKPOINT_INTERVAL] default 10",
            "  --parallelism N                    [CHRONOPRICE_PARALLELISM]     default 2",
            "  --used-weight-limit N              [CHRONOPRICE_USED_WEIGHT_LIMIT] default 1000 (Binance allows 1200/min;",
            "                                     a backtest, reading its own replay exchange, has no limit)",
            "  --local-web-ui                     run in-process with the Flink web UI",
            "  --web-ui-port PORT                 [CHRONOPRICE_FLINK_UI_PORT]   default 8081",
            "  --metrics-port PORT                [CHRONOPRICE_FLINK_METRICS_PORT] default 9249: with --local-web-ui,",
            "                                     Flink's Prometheus reporter (on a cluster its own config decides)",
            "  --backtest DIR                     bounded replay of a directory of candle CSVs at full speed",
            "  --run-label LABEL                  backtest label (rows are written with exchange '<exchange>@<label>')",
            "  --export FILE                      backtest: also write every served and raw forecast to FILE (CSV)",
            "  --cluster HOST:PORT                [CHRONOPRICE_BACKTEST_CLUSTER] backtest: run on the Flink cluster whose",
            "                                     REST API (web UI) is there, on this host and with the job's classes",
            "                                     on its classpath (the local stack's), instead of in-process",
            "  --registry-poll SECONDS            [CHRONOPRICE_REGISTRY_POLL]   default 10: how often the job reads the model registry",
            "  --auto-promote-after N             [CHRONOPRICE_AUTO_PROMOTE_AFTER] default 0 (off): promote a challenger",
            "                                     that beats the champion on >= N resolved targets (Diebold-Mariano p < 0.05)",
            "  --score-batch N                    [CHRONOPRICE_SCORE_BATCH]     default 64: most windows per model call (1: off)",
            "  --score-batch-wait-ms MS           [CHRONOPRICE_SCORE_BATCH_WAIT_MS] default 5: longest a window waits for",
            "                                     its batch to fill (a live window, alone in its minute, waits this long)");

    public static JobOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = flags(args);
        String exchange = value(flags, env, "exchange", "CHRONOPRICE_EXCHANGE", "binance");
        String defaultUrl =
                switch (exchange) {
                    case "binance" -> "https://api.binance.com";
                    case "coinbase" -> "https://api.exchange.coinbase.com";
                    default ->
                        throw new IllegalArgumentException(
                                "--exchange must be binance or coinbase, not '" + exchange + "'\n" + USAGE);
                };
        DbSettings envDb = DbSettings.writerFromEnv(env);
        String backtest = flags.get("backtest");
        return new JobOptions(
                exchange,
                value(flags, env, "base-url", "CHRONOPRICE_EXCHANGE_URL", defaultUrl),
                Arrays.stream(value(flags, env, "symbols", "CHRONOPRICE_SYMBOLS", "BTCUSDT,ETHUSDT,SOLUSDT")
                                .split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList(),
                value(flags, env, "interval", "CHRONOPRICE_INTERVAL", "1m"),
                pathOrNull(value(flags, env, "model", "CHRONOPRICE_MODEL", "")),
                new DbSettings(
                        value(flags, env, "jdbc-url", "CHRONOPRICE_DB_URL", envDb.jdbcUrl()),
                        value(flags, env, "jdbc-user", "CHRONOPRICE_DB_USER", envDb.user()),
                        envDb.password()),
                value(flags, env, "checkpoint-dir", "CHRONOPRICE_CHECKPOINT_DIR", ""),
                Duration.ofSeconds(positive(
                        value(flags, env, "checkpoint-interval", "CHRONOPRICE_CHECKPOINT_INTERVAL", "10"),
                        "checkpoint-interval")),
                positive(value(flags, env, "parallelism", "CHRONOPRICE_PARALLELISM", "2"), "parallelism"),
                positive(
                        value(flags, env, "used-weight-limit", "CHRONOPRICE_USED_WEIGHT_LIMIT", "1000"),
                        "used-weight-limit"),
                flags.containsKey("local-web-ui"),
                positive(value(flags, env, "web-ui-port", "CHRONOPRICE_FLINK_UI_PORT", "8081"), "web-ui-port"),
                positive(value(flags, env, "metrics-port", "CHRONOPRICE_FLINK_METRICS_PORT", "9249"), "metrics-port"),
                pathOrNull(backtest == null ? "" : backtest),
                flags.getOrDefault("run-label", "backtest"),
                pathOrNull(flags.getOrDefault("export", "")),
                // The variable is a backtest's only: the live job of a shell that exports it starts as ever.
                (backtest == null
                                ? flags.getOrDefault("cluster", "")
                                : value(flags, env, "cluster", "CHRONOPRICE_BACKTEST_CLUSTER", ""))
                        .trim(),
                Duration.ofSeconds(positive(
                        value(flags, env, "registry-poll", "CHRONOPRICE_REGISTRY_POLL", "10"), "registry-poll")),
                nonNegative(
                        value(flags, env, "auto-promote-after", "CHRONOPRICE_AUTO_PROMOTE_AFTER", "0"),
                        "auto-promote-after"),
                new ScoreBatching(
                        positive(value(flags, env, "score-batch", "CHRONOPRICE_SCORE_BATCH", "64"), "score-batch"),
                        nonNegative(
                                value(flags, env, "score-batch-wait-ms", "CHRONOPRICE_SCORE_BATCH_WAIT_MS", "5"),
                                "score-batch-wait-ms")));
    }

    public boolean isBacktest() {
        return backtestDataDir != null;
    }

    /** Fails when a flag only makes sense with another one. */
    public JobOptions checked() {
        if (exportFile != null && !isBacktest()) {
            throw new IllegalArgumentException("--export writes a backtest's forecasts; it needs --backtest\n" + USAGE);
        }
        if (!cluster.isEmpty()) {
            if (!isBacktest()) {
                throw new IllegalArgumentException(
                        "--cluster runs a backtest on a running cluster; it needs --backtest (a live job is"
                                + " submitted with Flink's own client, see deploy/)\n" + USAGE);
            }
            clusterAddress();
        }
        return this;
    }

    /** The REST address of {@code --cluster}, or null for a run in-process. */
    public InetSocketAddress clusterAddress() {
        if (cluster.isEmpty()) {
            return null;
        }
        int colon = cluster.lastIndexOf(':');
        if (colon > 0) {
            try {
                int port = Integer.parseInt(cluster.substring(colon + 1));
                if (port > 0 && port < 65536) {
                    return InetSocketAddress.createUnresolved(cluster.substring(0, colon), port);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--cluster must be HOST:PORT (the cluster's REST address, as in"
                + " 127.0.0.1:8081), not '" + cluster + "'");
    }

    private static final List<String> SWITCHES = List.of("local-web-ui");
    private static final List<String> WITH_VALUE = List.of(
            "exchange",
            "base-url",
            "symbols",
            "interval",
            "model",
            "jdbc-url",
            "jdbc-user",
            "checkpoint-dir",
            "checkpoint-interval",
            "parallelism",
            "used-weight-limit",
            "web-ui-port",
            "metrics-port",
            "backtest",
            "run-label",
            "export",
            "cluster",
            "registry-poll",
            "auto-promote-after",
            "score-batch",
            "score-batch-wait-ms");

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || !arg.startsWith("--")) {
                throw new IllegalArgumentException(
                        (arg.equals("--help") ? "" : "Unexpected argument '" + arg + "'\n") + USAGE);
            }
            String name = arg.substring(2);
            if (SWITCHES.contains(name)) {
                flags.put(name, "true");
            } else if (!WITH_VALUE.contains(name)) {
                throw new IllegalArgumentException("Unknown flag --" + name + "\n" + USAGE);
            } else if (i + 1 < args.length) {
                flags.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value\n" + USAGE);
            }
        }
        return flags;
    }

    private static String value(
            Map<String, String> flags, Map<String, String> env, String flag, String envName, String fallback) {
        return flags.getOrDefault(flag, env.getOrDefault(envName, fallback));
    }

    private static Path pathOrNull(String value) {
        return value.isBlank() ? null : Path.of(value);
    }

    private static int nonNegative(String value, String flag) {
        return value.equals("0") ? 0 : positive(value, flag);
    }

    private static int positive(String value, String flag) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the flag's name
        }
        throw new IllegalArgumentException("--" + flag + " must be a positive integer, not '" + value + "'");
    }
}
