package io.chronoprice.rowcheck;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.replay.Candle;
import io.chronoprice.replay.CandleSeries;
import io.chronoprice.replay.CsvCandleLoader;
import io.chronoprice.replay.LoadResult;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stored-row check from a shell (the failure suite on a real cluster), with the source candles read from a
 * directory in the shared CSV format and the model versions and window size from the checked database's
 * {@code models} table. Prints {@code name=value} lines (counts, {@code problem=} lines, {@code verdict=PASS|FAIL});
 * exits 0 on PASS, 1 on FAIL, 2 on a usage or connection error. The password is {@code CHRONOPRICE_DB_PASSWORD}.
 */
public final class StoredRowCheckMain {

    static final String USAGE = String.join(
            "\n",
            "usage:",
            "  StoredRowCheckMain install-write-log --jdbc-url URL [--jdbc-user USER]",
            "      create the write-attempt log and its triggers (before the job writes)",
            "  StoredRowCheckMain expected --slice-dir DIR --window N [--interval 1m]",
            "      the candles, full windows and gaps the slice makes",
            "  StoredRowCheckMain check --jdbc-url URL [--jdbc-user USER] --slice-dir DIR [--exchange binance]",
            "      [--interval 1m] [--reference-url URL] [--late-versions V,...] [--rewrites forbidden|allowed]",
            "      [--examples N]",
            "      the stored rows against the slice (and the reference run's values, e.g. a clean run's)",
            "The password of USER (default chronoprice) is CHRONOPRICE_DB_PASSWORD.");

    private StoredRowCheckMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help")) {
            err.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> options;
        try {
            options = options(Arrays.copyOfRange(args, 1, args.length));
            return switch (args[0]) {
                case "install-write-log" -> installWriteLog(options, env, out);
                case "expected" -> expected(options, out);
                case "check" -> check(options, env, out);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            err.println("ERROR: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("ERROR: " + e);
            return 2;
        }
    }

    private static int installWriteLog(Map<String, String> o, Map<String, String> env, PrintStream out)
            throws SQLException {
        try (Connection c = connect(required(o, "--jdbc-url"), o, env)) {
            WriteLog.install(c);
        }
        out.println("write_log=installed");
        return 0;
    }

    private static int expected(Map<String, String> o, PrintStream out) throws Exception {
        String interval = o.getOrDefault("--interval", "1m");
        Expectation e = builder(o, Integer.parseInt(required(o, "--window")), slice(o, interval))
                .build();
        out.println("candles.expected=" + e.candleCount());
        out.println("windows.expected=" + e.windowCount());
        out.println("candle_gaps.expected=" + e.gapCount());
        return 0;
    }

    private static int check(Map<String, String> o, Map<String, String> env, PrintStream out) throws Exception {
        String interval = o.getOrDefault("--interval", "1m");
        String rewritesOption = o.getOrDefault("--rewrites", "forbidden");
        CheckResult.Rewrites rewrites =
                switch (rewritesOption) {
                    case "forbidden" -> CheckResult.Rewrites.FORBIDDEN;
                    case "allowed" -> CheckResult.Rewrites.ALLOWED;
                    default -> throw new IllegalArgumentException("--rewrites " + rewritesOption);
                };
        int examples = Integer.parseInt(o.getOrDefault("--examples", String.valueOf(StoredRowCheck.EXAMPLES)));
        Set<String> late = new TreeSet<>();
        if (o.containsKey("--late-versions")) {
            late.addAll(Arrays.asList(o.get("--late-versions").split(",")));
        }
        StoredRows stored;
        Map<String, Integer> models;
        try (Connection c = connect(required(o, "--jdbc-url"), o, env)) {
            stored = StoredRows.read(c);
            models = models(c, interval);
        }
        Set<Integer> windowSizes = new TreeSet<>(models.values());
        if (windowSizes.size() != 1) {
            out.println("problem=the models table holds window sizes " + windowSizes + " for " + interval
                    + "; expected exactly one");
            out.println("verdict=FAIL");
            return 1;
        }
        int window = windowSizes.iterator().next();
        Map<String, List<SourceCandle>> slice = slice(o, interval);
        Expectation.Builder builder = builder(o, window, slice);
        Set<String> onTime = new TreeSet<>(models.keySet());
        onTime.removeAll(late);
        builder.modelVersions(onTime).lateVersions(late);
        if (o.containsKey("--reference-url")) {
            try (Connection c = connect(o.get("--reference-url"), o, env)) {
                builder.reference(StoredRows.read(c));
            }
        }
        Expectation expectation = builder.build();
        CheckResult result = StoredRowCheck.check(expectation, stored, examples);

        out.println("window_size=" + window);
        out.println("windows.expected=" + expectation.windowCount());
        Map<String, Long> totals = new TreeMap<>();
        for (TableResult t : result.tables()) {
            String name = t.table().sqlName();
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("expected", (long) t.expected());
            counts.put("stored", (long) t.stored());
            counts.put("lost", (long) t.lost().count());
            counts.put("extra", (long) t.extra().count());
            counts.put("different", (long) t.different().count());
            counts.put("written_more_than_once", (long) t.writtenMoreThanOnce().count());
            counts.put("extra_writes", t.extraWrites());
            counts.put("written_with_other_values", (long)
                    t.writtenWithOtherValues().count());
            counts.forEach((k, v) -> {
                out.println(name + "." + k + "=" + v);
                totals.merge(k, v, Long::sum);
            });
        }
        totals.forEach((k, v) -> out.println("total." + k + "=" + v));
        result.predictionsPerVersion().forEach((v, n) -> out.println("predictions.stored." + v + "=" + n));
        for (String version : late) {
            for (String symbol : slice.keySet()) {
                stored.firstPrediction(expectation.exchange(), symbol, interval, version)
                        .ifPresent(t -> out.println("predictions.first." + version + "." + symbol + "=" + t));
            }
        }
        List<String> problems = result.problems(rewrites);
        problems.forEach(p -> out.println("problem=" + p.replace('\n', ' ')));
        out.println("verdict=" + (problems.isEmpty() ? "PASS" : "FAIL"));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Model version -> window size, for the versions of {@code interval}. */
    private static Map<String, Integer> models(Connection c, String interval) throws SQLException {
        Map<String, Integer> models = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT model_version, interval, window_size FROM models")) {
            while (rs.next()) {
                if (rs.getString(2).equals(interval)) {
                    models.put(rs.getString(1), rs.getInt(3));
                }
            }
        }
        return models;
    }

    private static Expectation.Builder builder(
            Map<String, String> o, int window, Map<String, List<SourceCandle>> slice) {
        Expectation.Builder builder = Expectation.builder(
                o.getOrDefault("--exchange", "binance"), o.getOrDefault("--interval", "1m"), window);
        slice.forEach(builder::series);
        return builder;
    }

    /** The slice's candles by symbol, at {@code interval}, as the job parses them (shortest doubles). */
    private static Map<String, List<SourceCandle>> slice(Map<String, String> o, String interval) throws Exception {
        Path dir = Path.of(required(o, "--slice-dir"));
        LoadResult loaded = CsvCandleLoader.load(dir);
        if (!loaded.problems().isEmpty()) {
            throw new IllegalArgumentException("unreadable candle files in " + dir + ": " + loaded.problems());
        }
        CandleInterval wanted = CandleInterval.fromCode(interval);
        Map<String, List<SourceCandle>> bySymbol = new TreeMap<>();
        for (CandleSeries series : loaded.store().all()) {
            if (series.interval() == wanted) {
                bySymbol.put(
                        series.key().symbol(),
                        series.between(series.firstOpenTime(), series.lastOpenTime()).stream()
                                .map(StoredRowCheckMain::source)
                                .toList());
            }
        }
        if (bySymbol.isEmpty()) {
            throw new IllegalArgumentException("no " + interval + " candles in " + dir);
        }
        return bySymbol;
    }

    private static SourceCandle source(Candle c) {
        return new SourceCandle(c.openTimeMillis(), d(c.open()), d(c.high()), d(c.low()), d(c.close()), d(c.volume()));
    }

    /** The double the job reads from the exchange's decimal string. */
    private static double d(BigDecimal value) {
        return Double.parseDouble(value.toPlainString());
    }

    private static Connection connect(String url, Map<String, String> o, Map<String, String> env) throws SQLException {
        return DriverManager.getConnection(
                url, o.getOrDefault("--jdbc-user", "chronoprice"), env.getOrDefault("CHRONOPRICE_DB_PASSWORD", ""));
    }

    private static final Set<String> OPTIONS = Set.of(
            "--jdbc-url",
            "--jdbc-user",
            "--slice-dir",
            "--window",
            "--exchange",
            "--interval",
            "--reference-url",
            "--late-versions",
            "--rewrites",
            "--examples");

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> o, String name) {
        String value = o.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
