package io.chronoprice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronoprice.db.AccuracyRollups;
import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.ops.GrafanaMacros.Variable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every dashboard variable, panel target and alert query against a real PostgreSQL with the real
 * migrations, as the read-only role Grafana uses, after expanding Grafana's variables and macros. The
 * database holds real Binance candles (the replay exchange's demo data, shifted to end now) and
 * predictions derived from them by two registered versions, the champion on every window and a challenger
 * added later, so every query must return rows, shaped the way its panel needs.
 */
class DashboardQueriesITCase {

    private static final String EXCHANGE = "binance";
    /** A backtest run's exchange name: the live rows are copied under it. */
    private static final String BACKTEST = "binance@demo";

    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");
    /** The champion: its forecast is the served one, and the dashboard's default. */
    private static final String MODEL = "lstm-1m-test";
    /** A challenger added later, scored beside the champion from prediction {@link #CHALLENGER_FROM} on. */
    private static final String CHALLENGER = "lstm-1m-challenger";

    private static final int CHALLENGER_FROM = 200;
    private static final int CANDLES = 420;
    private static final int WINDOW = 60;
    /** Grafana's default dashboard range, and the $__interval it picks for ~1000 px wide panels. */
    private static final Duration RANGE = Duration.ofHours(6);

    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final Set<Integer> TIME_TYPES = Set.of(Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE);
    private static final Set<Integer> NUMBER_TYPES = Set.of(
            Types.BIGINT,
            Types.INTEGER,
            Types.SMALLINT,
            Types.DOUBLE,
            Types.FLOAT,
            Types.REAL,
            Types.NUMERIC,
            Types.DECIMAL);
    private static final Set<Integer> TEXT_TYPES = Set.of(Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR);

    /** The first predictions of each series are written as before migration V4: no raw forecast, guard or sigmas. */
    private static final int LEGACY_PREDICTIONS = 30;
    /** The z of the baselines' intervals, naive x exp(+/-z sigma), as the view writes it. */
    private static final double Z80 = 1.2816;

    private static EmbeddedDatabase db;
    private static Instant now;
    /** Every seeded prediction with its actual close (null when its candle is not there), for expected values. */
    private static final List<Seeded> SEEDED = new ArrayList<>();
    /** The same for the challenger. */
    private static final List<Seeded> CHALLENGER_SEEDED = new ArrayList<>();

    /** A seeded prediction; {@code online} is null for a pre-V4 row. */
    private record Seeded(
            String symbol,
            Instant target,
            double predicted,
            double lower,
            double upper,
            double naive,
            Double actual,
            Online online) {}

    /** The V4 columns: the raw forecast, the skill guard's weight, the calibration offsets and the sigmas. */
    private record Online(
            double raw,
            double rawLower,
            double rawUpper,
            double guardWeight,
            double calibrationLower,
            double calibrationUpper,
            double windowScale,
            double rollingSigma,
            double ewmaSigma) {}

    @BeforeAll
    static void startAndSeed() throws Exception {
        db = EmbeddedDatabase.startForTests();
        // Microseconds, as PostgreSQL keeps them: a range's start comes back as a panel's first time.
        now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = connect(db.writer())) {
            c.setAutoCommit(false);
            for (String symbol : SYMBOLS) {
                seed(c, symbol);
            }
            seedModelAndGaps(c);
            copyAsBacktest(c);
            c.commit();
            // As the job does every registry poll: the hourly panels then read the prefix sums.
            assertThat(AccuracyRollups.refresh(c)).as("series refreshed").isEqualTo(2 * SYMBOLS.size());
            c.commit();
        }
    }

    /**
     * A backtest run's rows, as {@code ./chronoprice backtest DIR demo} files them: here a copy of every live candle,
     * prediction and gap under the exchange name {@link #BACKTEST}, so each panel must show the same on both.
     */
    private static void copyAsBacktest(Connection c) throws SQLException {
        for (String table : List.of("candles", "predictions", "candle_gaps")) {
            List<String> columns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND table_name = ? AND is_generated = 'NEVER'"
                    + " ORDER BY ordinal_position")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                    }
                }
            }
            String select = String.join(
                    ", ",
                    columns.stream().map(n -> n.equals("exchange") ? "?" : n).toList());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", columns)
                    + ") SELECT " + select + " FROM " + table + " WHERE exchange = ?")) {
                ps.setString(1, BACKTEST);
                ps.setString(2, EXCHANGE);
                assertThat(ps.executeUpdate()).as(table + " copied").isPositive();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    /**
     * Real candles, shifted so the newest closed two minutes ago; one prediction per full window. After the first
     * {@link #LEGACY_PREDICTIONS}, each prediction is served from a raw one as the job serves it, in log-returns from
     * the last close: median {@code w x q50} (the naive forecast itself while the guard weight w is 0), interval
     * half-widths scaled by {@code exp(calibration offset)}. From prediction {@link #CHALLENGER_FROM} on the
     * challenger predicts the same targets with its own forecasts, written a moment after the champion's.
     */
    private static void seed(Connection c, String symbol) throws IOException, SQLException {
        List<double[]> rows = readCandles(symbol);
        long lastOpen =
                now.truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES).toEpochMilli();
        long shift = lastOpen - (long) rows.get(rows.size() - 1)[0];
        try (PreparedStatement candle = c.prepareStatement(
                        "INSERT INTO candles (exchange, symbol, interval,"
                                + " open_time, open, high, low, close, volume, ingested_at) VALUES (?, ?, '1m', ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement prediction = c.prepareStatement("INSERT INTO predictions (exchange, symbol,"
                        + " interval, target_open_time, model_version, predicted_close, lower_close, upper_close,"
                        + " naive_close, window_end_open_time, created_at, raw_predicted_close, raw_lower_close,"
                        + " raw_upper_close, guard_weight, calibration_lower, calibration_upper, window_scale,"
                        + " rolling_sigma, ewma_sigma)"
                        + " VALUES (?, ?, '1m', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < rows.size(); i++) {
                double[] r = rows.get(i);
                Instant open = Instant.ofEpochMilli((long) r[0] + shift);
                candle.setString(1, EXCHANGE);
                candle.setString(2, symbol);
                candle.setTimestamp(3, Timestamp.from(open));
                for (int k = 1; k <= 5; k++) {
                    candle.setDouble(3 + k, r[k]);
                }
                // Written a few seconds after the candle closed, as the polling source does.
                candle.setTimestamp(9, Timestamp.from(open.plus(INTERVAL).plusSeconds(3)));
                candle.addBatch();
                if (i + 1 >= WINDOW) {
                    int n = i + 1 - WINDOW;
                    Seeded p = predict(symbol, i, n, open.plus(INTERVAL), r[4], rows);
                    addPrediction(prediction, symbol, MODEL, p, open, Duration.ofMillis(3_400));
                    SEEDED.add(p);
                    if (n >= CHALLENGER_FROM) {
                        Seeded q = predictAsChallenger(symbol, i, open.plus(INTERVAL), r[4], rows);
                        addPrediction(prediction, symbol, CHALLENGER, q, open, Duration.ofMillis(3_500));
                        CHALLENGER_SEEDED.add(q);
                    }
                }
            }
            candle.executeBatch();
            prediction.executeBatch();
        }
    }

    private static void addPrediction(
            PreparedStatement prediction, String symbol, String version, Seeded p, Instant windowEnd, Duration after)
            throws SQLException {
        prediction.setString(1, EXCHANGE);
        prediction.setString(2, symbol);
        prediction.setTimestamp(3, Timestamp.from(p.target()));
        prediction.setString(4, version);
        prediction.setDouble(5, p.predicted());
        prediction.setDouble(6, p.lower());
        prediction.setDouble(7, p.upper());
        prediction.setDouble(8, p.naive());
        prediction.setTimestamp(9, Timestamp.from(windowEnd));
        prediction.setTimestamp(10, Timestamp.from(p.target().plus(after)));
        Online o = p.online();
        double[] online = o == null
                ? null
                : new double[] {
                    o.raw(),
                    o.rawLower(),
                    o.rawUpper(),
                    o.guardWeight(),
                    o.calibrationLower(),
                    o.calibrationUpper(),
                    o.windowScale(),
                    o.rollingSigma(),
                    o.ewmaSigma()
                };
        for (int k = 0; k < 9; k++) {
            if (online == null) {
                prediction.setNull(11 + k, Types.DOUBLE);
            } else {
                prediction.setDouble(11 + k, online[k]);
            }
        }
        prediction.addBatch();
    }

    /**
     * The challenger's prediction made at candle i: a raw median of its own, and a guard that serves it on other
     * stretches than the champion's, so the two versions' errors differ on some targets and tie on others.
     */
    private static Seeded predictAsChallenger(String symbol, int i, Instant target, double last, List<double[]> rows) {
        Double actual = i + 1 < rows.size() ? rows.get(i + 1)[4] : null;
        double q50 = 0.0005 * Math.cos(0.3 * i);
        double down = 0.0014;
        double up = 0.0014;
        double weight = Math.max(0, Math.min(1, 1.5 * Math.cos(0.07 * i)));
        double median = weight * q50;
        return new Seeded(
                symbol,
                target,
                last * Math.exp(median),
                last * Math.exp(median - down),
                last * Math.exp(median + up),
                last,
                actual,
                new Online(
                        last * Math.exp(q50),
                        last * Math.exp(q50 - down),
                        last * Math.exp(q50 + up),
                        weight,
                        0,
                        0,
                        0.0008,
                        0.0011,
                        0.0010));
    }

    /** The n-th prediction of a series, made at candle i (close {@code last}) for the candle opening at target. */
    private static Seeded predict(String symbol, int i, int n, Instant target, double last, List<double[]> rows) {
        Double actual = i + 1 < rows.size() ? rows.get(i + 1)[4] : null;
        if (n < LEGACY_PREDICTIONS) {
            // A deterministic "model": the last close nudged up or down, with a +-0.2 % band.
            double predicted = last * (1 + 0.0004 * Math.sin(i * 0.7));
            return new Seeded(symbol, target, predicted, predicted * 0.998, predicted * 1.002, last, actual, null);
        }
        double q50 = 0.0006 * Math.sin(0.45 * i);
        double down = 0.0015 * (1 + 0.4 * Math.cos(0.3 * i));
        double up = 0.0013 * (1 + 0.4 * Math.sin(0.35 * i));
        // Stretches of exactly 0 (naive served), of exactly 1 and of values in between.
        double weight = Math.max(0, Math.min(1, 1.5 * Math.sin(0.05 * i)));
        double calibrationLower = 0.3 * Math.sin(0.02 * i);
        double calibrationUpper = 0.25 * Math.cos(0.03 * i);
        double median = weight * q50;
        return new Seeded(
                symbol,
                target,
                last * Math.exp(median),
                last * Math.exp(median - Math.exp(calibrationLower) * down),
                last * Math.exp(median + Math.exp(calibrationUpper) * up),
                last,
                actual,
                new Online(
                        last * Math.exp(q50),
                        last * Math.exp(q50 - down),
                        last * Math.exp(q50 + up),
                        weight,
                        calibrationLower,
                        calibrationUpper,
                        0.0008,
                        0.0011 * (1 + 0.5 * Math.sin(0.04 * i)),
                        0.0010 * (1 + 0.5 * Math.cos(0.05 * i))));
    }

    private static List<double[]> readCandles(String symbol) throws IOException {
        Path file = OpsFiles.repoRoot().resolve("replay-exchange/demo-data/binance_spot_" + symbol + "_1m.csv.gz");
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("open_time_ms,open,high,low,close,volume");
            String line;
            while (rows.size() < CANDLES && (line = in.readLine()) != null) {
                rows.add(Stream.of(line.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray());
            }
        }
        assertThat(rows).hasSize(CANDLES);
        return rows;
    }

    /**
     * The registry as the job's leaves it (V5): the champion, added two days ago and promoted, and the challenger
     * added later, each with its artifact's bytes and lifecycle events; and two detected gaps.
     */
    private static void seedModelAndGaps(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO models (model_version, created_at, interval, window_size, feature_names,"
                    + " quantiles, training_from, training_to, eval_metrics, artifact_sha256, artifact, status,"
                    + " status_changed_at, registered_at) VALUES ('" + MODEL
                    + "', now() - interval '2 days', '1m', " + WINDOW + ", ARRAY['log_return','range','volume_z'],"
                    + " ARRAY[0.1,0.5,0.9], '2021-05-14', '2021-06-14', '{\"mae\": 12.3, \"mase\": 0.99}',"
                    + " repeat('ab', 32), decode(repeat('00', 2048), 'hex'), 'champion', now() - interval '47 hours',"
                    + " now() - interval '2 days'),"
                    + " ('" + CHALLENGER + "', now() - interval '5 hours', '1m', " + WINDOW
                    + ", ARRAY['log_return','range','volume_z'], ARRAY[0.1,0.5,0.9], '2021-05-14', '2021-07-14',"
                    + " '{\"mae\": 12.1, \"mase\": 0.98}', repeat('cd', 32), decode(repeat('00', 3000), 'hex'),"
                    + " 'challenger', now() - interval '4 hours', now() - interval '4 hours')");
            st.execute("INSERT INTO model_events (model_version, event, actor, detail, at) VALUES"
                    + " ('" + MODEL + "', 'added', 'ci', '{}', now() - interval '2 days'),"
                    + " ('" + MODEL + "', 'promoted', 'alice', '{\"reason\": \"first model\"}',"
                    + " now() - interval '47 hours'),"
                    + " ('" + CHALLENGER + "', 'added', 'bob', '{\"reason\": \"retrained\"}',"
                    + " now() - interval '4 hours')");
            st.execute("INSERT INTO candle_gaps (exchange, symbol, interval, last_open_time_before,"
                    + " first_open_time_after, missing_candles, detected_at) VALUES"
                    + " ('binance', 'BTCUSDT', '1m', now() - interval '65 min', now() - interval '62 min', 2,"
                    + " now() - interval '61 min'),"
                    + " ('binance', 'ETHUSDT', '1m', now() - interval '125 min', now() - interval '121 min', 3,"
                    + " now() - interval '120 min')");
        }
    }

    private static Connection connect(DbSettings s) throws SQLException {
        return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
    }

    @TestFactory
    Stream<DynamicTest> everyDashboardQueryRunsAsTheReaderAndHasTheColumnsItsPanelNeeds() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : OpsFiles.dashboards()) {
            JsonNode dashboard = OpsFiles.readJson(file);
            String name = file.getFileName().toString();
            // Variables resolve in order, each from the ones before it, as Grafana resolves them on load.
            Map<String, Variable> variables = new LinkedHashMap<>();
            for (JsonNode v : dashboard.path("templating").path("list")) {
                if (!v.path("type").asText().equals("query")) {
                    continue;
                }
                String sql = v.path("query").isTextual()
                        ? v.path("query").asText()
                        : v.path("query").path("rawSql").asText();
                String varName = v.path("name").asText();
                List<String> values = runVariable(name + " $" + varName, sql, variables);
                boolean multiOrAll =
                        v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
                // Grafana's default on first load: the first value, or every value for "All".
                variables.put(varName, new Variable(multiOrAll ? values : List.of(values.get(0)), multiOrAll));
            }
            tests.add(DynamicTest.dynamicTest(name + " variables resolve to " + variables, () -> {}));
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    // PromQL targets run against the local run's Prometheus (PrometheusQueriesSmokeCheck).
                    if (!isSql(target)) {
                        continue;
                    }
                    String label = name + " panel " + panel.path("id") + " '"
                            + panel.path("title").asText() + "' "
                            + target.path("refId").asText();
                    Map<String, Variable> vars = Map.copyOf(variables);
                    tests.add(DynamicTest.dynamicTest(label, () -> {
                        String sql = GrafanaMacros.expandMacros(
                                GrafanaMacros.interpolateVariables(
                                        target.path("rawSql").asText(), vars),
                                now.minus(RANGE),
                                now,
                                INTERVAL);
                        checkResult(
                                label,
                                sql,
                                target.path("format").asText(),
                                Set.of("stat", "bargauge", "gauge")
                                        .contains(panel.path("type").asText()));
                    }));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyAlertQueryRunsAsTheReaderAndReturnsOneNumberPerSeries() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : OpsFiles.list(OpsFiles.grafana().resolve("provisioning/alerting"), ".yml", ".yaml")) {
            JsonNode doc = OpsFiles.JSON.valueToTree(OpsFiles.readYaml(file));
            for (JsonNode group : doc.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    for (JsonNode query : rule.path("data")) {
                        if (!query.path("datasourceUid").asText().equals(DashboardJsonTest.DATASOURCE_UID)) {
                            continue;
                        }
                        String label = rule.path("uid").asText() + " "
                                + query.path("refId").asText();
                        tests.add(DynamicTest.dynamicTest(label, () -> {
                            Instant from = now.minusSeconds(
                                    query.path("relativeTimeRange").path("from").asLong());
                            Instant to = now.minusSeconds(
                                    query.path("relativeTimeRange").path("to").asLong());
                            // Alert rules have no template variables: interpolating with none must be a no-op.
                            String raw = query.path("model").path("rawSql").asText();
                            assertThat(GrafanaMacros.interpolateVariables(raw, Map.of()))
                                    .isEqualTo(raw);
                            String sql = GrafanaMacros.expandMacros(raw, from, to, INTERVAL);
                            List<String> types = checkResult(
                                    label,
                                    sql,
                                    query.path("model").path("format").asText(),
                                    true);
                            // Server-side expressions take exactly one number per row, strings become labels.
                            assertThat(types.stream().filter(t -> t.equals("number")))
                                    .as(label + ": numeric columns")
                                    .hasSize(1);
                            assertThat(types).as(label + ": column kinds").isSubsetOf("number", "text");
                        }));
                    }
                }
            }
        }
        assertThat(tests).as("alert queries").isNotEmpty();
        return tests.stream();
    }

    /**
     * The exchange picker lists backtest runs too, after the live exchanges, so that Grafana's default (the first
     * value) is a live series: also where a backtest's name sorts first, checked with a live 'coinbase' series
     * written in a transaction that is rolled back.
     */
    @Test
    void exchangePickerListsLiveExchangesFirstThenBacktestRuns() throws SQLException {
        for (Path file : OpsFiles.dashboards()) {
            String sql = variable(file, "exchange").path("query").asText();
            assertThat(runVariable(file.getFileName() + " $exchange", sql, Map.of()))
                    .containsExactly(EXCHANGE, BACKTEST);
            try (Connection writer = connect(db.writer())) {
                writer.setAutoCommit(false);
                try (Statement st = writer.createStatement()) {
                    st.execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close,"
                            + " volume) VALUES ('coinbase', 'BTC-USD', '1m', now(), 1, 1, 1, 1, 0)");
                    List<String> values = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery(sql)) {
                        while (rs.next()) {
                            values.add(rs.getString(1));
                        }
                    }
                    assertThat(values).containsExactly(EXCHANGE, "coinbase", BACKTEST);
                } finally {
                    writer.rollback();
                }
            }
        }
    }

    /**
     * With the backtest's exchange picked, every variable after it resolves to the same values and every SQL panel
     * answers with the same rows as on the live series it copies (text naming the exchange aside): a backtest series
     * is shown like a live one.
     */
    @TestFactory
    Stream<DynamicTest> everyPanelShowsTheBacktestSeriesAsTheLiveOneItCopies() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : OpsFiles.dashboards()) {
            JsonNode dashboard = OpsFiles.readJson(file);
            String name = file.getFileName().toString();
            Map<String, Variable> live = resolveVariables(name, dashboard, EXCHANGE);
            Map<String, Variable> backtest = resolveVariables(name, dashboard, BACKTEST);
            tests.add(DynamicTest.dynamicTest(name + " variables on " + BACKTEST, () -> {
                assertThat(backtest.get("exchange").values()).containsExactly(BACKTEST);
                for (String variable : live.keySet()) {
                    if (!variable.equals("exchange")) {
                        assertThat(backtest.get(variable)).as(variable).isEqualTo(live.get(variable));
                    }
                }
            }));
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    if (!isSql(target)) {
                        continue;
                    }
                    String label = name + " panel " + panel.path("id") + " '"
                            + panel.path("title").asText() + "' "
                            + target.path("refId").asText() + " on " + BACKTEST;
                    tests.add(DynamicTest.dynamicTest(label, () -> {
                        // One transaction, so that now() (staleness panels) is the same instant for both.
                        try (Connection c = connect(db.reader())) {
                            c.setAutoCommit(false);
                            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                            List<List<Object>> onLive =
                                    rows(c, label, target.path("rawSql").asText(), live);
                            List<List<Object>> onBacktest =
                                    rows(c, label, target.path("rawSql").asText(), backtest);
                            c.rollback();
                            assertThat(onBacktest).as(label).isNotEmpty().isEqualTo(onLive);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** The dashboard's variables in order, each from its query, with the given exchange picked first. */
    private static Map<String, Variable> resolveVariables(String name, JsonNode dashboard, String exchange) {
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!v.path("type").asText().equals("query")) {
                continue;
            }
            String varName = v.path("name").asText();
            List<String> values =
                    runVariable(name + " $" + varName, v.path("query").asText(), variables);
            boolean multiOrAll =
                    v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
            if (varName.equals("exchange")) {
                assertThat(values).contains(exchange);
                variables.put(varName, Variable.single(exchange));
            } else {
                variables.put(varName, new Variable(multiOrAll ? values : List.of(values.get(0)), multiOrAll));
            }
        }
        return variables;
    }

    /** A panel's rows on the reader's connection, timestamps as Instants, the backtest's exchange name as the live one. */
    private static List<List<Object>> rows(Connection c, String label, String rawSql, Map<String, Variable> variables) {
        String sql = GrafanaMacros.expandMacros(
                GrafanaMacros.interpolateVariables(rawSql, variables), now.minus(RANGE), now, INTERVAL);
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.add(
                            value instanceof Timestamp t
                                    ? t.toInstant()
                                    : value instanceof String text ? text.replace(BACKTEST, EXCHANGE) : value);
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new AssertionError(label + " failed: " + e.getMessage() + "\n" + sql, e);
        }
        return rows;
    }

    private static JsonNode variable(Path dashboard, String name) {
        for (JsonNode v : OpsFiles.readJson(dashboard).path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no variable $" + name + " in " + dashboard);
    }

    @Test
    void rangeStatOfRawVsServedMatchesAnIndependentComputation() {
        List<Map<String, Object>> rows = runOverviewPanel(14);
        List<Seeded> resolved = resolvedInRange(now.minus(RANGE), now);

        assertThat(rows).hasSize(1);
        Map<String, Object> stat = rows.get(0);
        assertThat(resolved).filteredOn(p -> p.online() == null).isNotEmpty();
        assertClose(stat, "served MASE", mase(resolved, Seeded::predicted));
        assertClose(stat, "raw MASE", mase(withRaw(resolved), p -> p.online().raw()));
        assertIntervals(
                stat,
                resolved,
                "served coverage",
                "raw coverage",
                "rolling-vol coverage",
                "EWMA-vol coverage",
                DashboardQueriesITCase::coverage);
        assertIntervals(
                stat,
                resolved,
                "served Winkler (bps)",
                "raw Winkler (bps)",
                "rolling-vol Winkler (bps)",
                "EWMA-vol Winkler (bps)",
                DashboardQueriesITCase::winklerBps);
        assertClose(
                stat,
                "mean guard weight",
                withRaw(resolved).stream()
                        .mapToDouble(p -> p.online().guardWeight())
                        .average()
                        .orElseThrow());
        // Plausible as well as equal: rates are rates, and raw and served are different forecasts.
        for (String rate : List.of("served coverage", "raw coverage", "rolling-vol coverage", "EWMA-vol coverage")) {
            assertThat(number(stat, rate)).as(rate).isBetween(0.0, 1.0);
        }
        assertThat(number(stat, "raw Winkler (bps)")).isPositive().isNotEqualTo(number(stat, "served Winkler (bps)"));
    }

    /**
     * The hourly panels have one point per hour with resolved predictions in the range, at the hour's start (the
     * range's start for its first, partial hour), each with that hour's numbers computed here from the seeded rows.
     */
    @Test
    void hourlyServedPanelsShowEachHoursMaeMaseDirectionAndCoverage() {
        Map<Instant, List<Seeded>> hours = hourly(now.minus(RANGE), now);
        List<Map<String, Object>> mae = runOverviewPanel(4);
        List<Map<String, Object>> mase = runOverviewPanel(5);
        List<Map<String, Object>> direction = runOverviewPanel(7);

        assertThat(hours).hasSizeGreaterThanOrEqualTo(6);
        for (List<Map<String, Object>> panel : List.of(mae, mase, direction)) {
            assertThat(panel).extracting(r -> r.get("time")).containsExactlyElementsOf(hours.keySet());
        }
        // Targets fall on whole minutes: a range that starts in an hour's last minute has no partial first hour.
        Instant from = now.minus(RANGE);
        Instant firstTarget = from.truncatedTo(ChronoUnit.MINUTES).equals(from)
                ? from
                : from.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        assertThat(mae.get(0).get("time"))
                .isEqualTo(firstTarget.truncatedTo(ChronoUnit.HOURS).isBefore(from) ? from : firstTarget);
        int i = 0;
        for (List<Seeded> hour : hours.values()) {
            assertClose(mae.get(i), "model MAE (1 h)", meanAbs(hour, Seeded::predicted));
            assertClose(mae.get(i), "naive MAE (1 h)", meanAbs(hour, Seeded::naive));
            assertClose(mase.get(i), "MASE (1 h)", mase(hour, Seeded::predicted));
            assertClose(direction.get(i), "coverage", coverage(hour, Seeded::lower, Seeded::upper));
            OptionalDouble hits = directionAccuracy(hour);
            if (hits.isPresent()) {
                assertClose(direction.get(i), "direction accuracy", hits.getAsDouble());
            } else {
                assertThat(direction.get(i).get("direction accuracy")).isNull();
            }
            i++;
        }
    }

    @Test
    void hourlyRawVsServedPanelsShowEachHoursNumbersAndNoRawWhereNoneWasRecorded() {
        Map<Instant, List<Seeded>> hours = hourly(now.minus(RANGE), now);
        List<Map<String, Object>> mase = runOverviewPanel(10);
        List<Map<String, Object>> coverage = runOverviewPanel(11);
        List<Map<String, Object>> winkler = runOverviewPanel(12);

        for (List<Map<String, Object>> panel : List.of(mase, coverage, winkler)) {
            assertThat(panel).extracting(r -> r.get("time")).containsExactlyElementsOf(hours.keySet());
        }
        int i = 0;
        for (List<Seeded> hour : hours.values()) {
            assertClose(mase.get(i), "served", mase(hour, Seeded::predicted));
            if (withRaw(hour).isEmpty()) {
                // Only rows written before the raw forecast was recorded.
                for (Map<String, Object> row : List.of(mase.get(i), coverage.get(i), winkler.get(i))) {
                    assertThat(row.get("raw model")).isNull();
                }
                assertThat(coverage.get(i).get("rolling volatility")).isNull();
                assertThat(winkler.get(i).get("EWMA volatility")).isNull();
                assertClose(coverage.get(i), "served", coverage(hour, Seeded::lower, Seeded::upper));
                assertClose(winkler.get(i), "served", winklerBps(hour, Seeded::lower, Seeded::upper));
            } else {
                assertClose(mase.get(i), "raw model", mase(withRaw(hour), p -> p.online()
                        .raw()));
                assertIntervals(
                        coverage.get(i),
                        hour,
                        "served",
                        "raw model",
                        "rolling volatility",
                        "EWMA volatility",
                        DashboardQueriesITCase::coverage);
                assertIntervals(
                        winkler.get(i),
                        hour,
                        "served",
                        "raw model",
                        "rolling volatility",
                        "EWMA volatility",
                        DashboardQueriesITCase::winklerBps);
            }
            i++;
        }
        assertThat(number(winkler.get(0), "served")).isPositive();
        assertThat(hours.values()).anyMatch(hour -> !withRaw(hour).isEmpty());
    }

    @Test
    void rangeStatOfTheServedForecastMatchesAnIndependentComputation() {
        List<Map<String, Object>> rows = runOverviewPanel(6);
        List<Seeded> resolved = resolvedInRange(now.minus(RANGE), now);

        assertThat(rows).hasSize(1);
        Map<String, Object> stat = rows.get(0);
        assertClose(stat, "MAE", meanAbs(resolved, Seeded::predicted));
        assertClose(stat, "naive MAE", meanAbs(resolved, Seeded::naive));
        assertClose(stat, "MASE", mase(resolved, Seeded::predicted));
        assertClose(stat, "direction accuracy", directionAccuracy(resolved).orElseThrow());
        assertClose(stat, "coverage (80 % target)", coverage(resolved, Seeded::lower, Seeded::upper));
        assertThat(number(stat, "resolved predictions")).isEqualTo(resolved.size());
    }

    /**
     * The hourly panels and the range stats read the prefix sums: with the sums current, a panel reads the rows of the
     * range's partial first and last hours only, and a spoiled sum moves exactly the points of its hour. With every
     * hour marked changed, the same panel reads every row of the range. All in a transaction rolled back.
     */
    @Test
    void hourlyPanelsAndRangeStatsReadThePrefixSums() throws SQLException {
        long rowsInRange = resolvedInRange(now.minus(RANGE), now).size();
        try (Connection c = connect(db.writer())) {
            // As on large tables: a run in a month's first minutes finds that month's partition holding a few rows
            // only, and a seq scan of it would read rows of every series there, which says nothing about the bounds.
            try (Statement st = c.createStatement()) {
                st.execute("SET enable_seqscan = off");
            }
            c.setAutoCommit(false);
            try {
                // The rows of the range's partial first and last hours, of any series and version of the symbol: the
                // planner may reach them through the (symbol, target) index, which also holds the backtest's copy.
                Instant from = now.minus(RANGE);
                Instant firstWhole = from.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
                long edgeRows;
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM predictions WHERE symbol = ?"
                        + " AND (target_open_time >= ? AND target_open_time < ?"
                        + " OR target_open_time >= ? AND target_open_time < ?)")) {
                    ps.setString(1, SYMBOLS.get(0));
                    ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                    ps.setObject(3, OffsetDateTime.ofInstant(firstWhole, ZoneOffset.UTC));
                    ps.setObject(4, OffsetDateTime.ofInstant(now.truncatedTo(ChronoUnit.HOURS), ZoneOffset.UTC));
                    ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        edgeRows = rs.getLong(1);
                    }
                }
                long read = predictionRowsRead(c);
                List<Map<String, Object>> mae = runOverviewPanel(c, 4);
                long readWithSums = predictionRowsRead(c) - read;
                assertThat(readWithSums)
                        .as("prediction rows read with current sums")
                        .isLessThanOrEqualTo(edgeRows);
                assertThat(readWithSums)
                        .as("fewer than the range's rows of the panel's own series")
                        .isLessThan(rowsInRange);
                Map<String, Object> stat = runOverviewPanel(c, 6).get(0);

                // A whole hour inside the range, and the prefix sums from it on, as a stale refresh would leave them.
                Instant spoiled = (Instant) mae.get(2).get("time");
                assertThat(spoiled).isEqualTo(spoiled.truncatedTo(ChronoUnit.HOURS));
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE accuracy_cumulative SET sum_abs_error = sum_abs_error + 1000"
                                + " WHERE exchange = ? AND symbol = ? AND model_version = ? AND bucket >= ?")) {
                    ps.setString(1, EXCHANGE);
                    ps.setString(2, SYMBOLS.get(0));
                    ps.setString(3, MODEL);
                    ps.setObject(4, OffsetDateTime.ofInstant(spoiled, ZoneOffset.UTC));
                    assertThat(ps.executeUpdate()).isPositive();
                }
                List<Map<String, Object>> spoiledMae = runOverviewPanel(c, 4);
                assertThat(spoiledMae).hasSameSizeAs(mae);
                for (int i = 0; i < mae.size(); i++) {
                    if (spoiled.equals(mae.get(i).get("time"))) {
                        assertThat(number(spoiledMae.get(i), "model MAE (1 h)"))
                                .isGreaterThan(number(mae.get(i), "model MAE (1 h)"));
                    } else {
                        assertThat(spoiledMae.get(i)).isEqualTo(mae.get(i));
                    }
                }
                assertThat(number(runOverviewPanel(c, 6).get(0), "MAE")).isGreaterThan(number(stat, "MAE"));
                c.rollback();

                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)"
                            + " SELECT DISTINCT exchange, symbol, interval, date_trunc('hour', target_open_time)"
                            + " FROM predictions");
                }
                read = predictionRowsRead(c);
                List<Map<String, Object>> fromRows = runOverviewPanel(c, 4);
                assertThat(predictionRowsRead(c) - read)
                        .as("prediction rows read with every hour marked")
                        .isGreaterThanOrEqualTo(rowsInRange)
                        .isGreaterThan(readWithSums);
                assertThat(fromRows).hasSameSizeAs(mae);
                for (int i = 0; i < mae.size(); i++) {
                    assertClose(fromRows.get(i), "model MAE (1 h)", number(mae.get(i), "model MAE (1 h)"));
                }
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * Rows of {@code predictions} this session has read, as AccuracyRollupITCase counts them: reported to the
     * statistics at the end of a transaction at the earliest, so differences within one are exact. The table is
     * partitioned (V8), so the rows are counted where they are read: in its partitions.
     */
    private static long predictionRowsRead(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(sum(seq_tup_read), 0) + COALESCE(sum(idx_tup_fetch), 0)"
                        + " FROM pg_stat_xact_user_tables"
                        + " WHERE relid IN (SELECT relid FROM pg_partition_tree('predictions'))")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Test
    void guardPanelShowsEachPredictionsWeightAndCalibrationFactors() {
        List<Seeded> expected = SEEDED.stream()
                .filter(p -> p.symbol().equals(SYMBOLS.get(0)) && inRange(p, now.minus(RANGE), now))
                .toList();

        List<Map<String, Object>> rows = runOverviewPanel(13);

        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            Online o = expected.get(i).online();
            Map<String, Object> row = rows.get(i);
            assertThat(row.get("time")).isEqualTo(expected.get(i).target());
            if (o == null) {
                assertThat(row.get("guard weight")).isNull();
                assertThat(row.get("lower half-width factor")).isNull();
            } else {
                assertClose(row, "guard weight", o.guardWeight());
                assertClose(row, "lower half-width factor", Math.exp(o.calibrationLower()));
                assertClose(row, "upper half-width factor", Math.exp(o.calibrationUpper()));
            }
        }
        // The seed has stretches where the naive forecast is served, where the model is, and in between.
        List<Double> weights = rows.stream()
                .filter(r -> r.get("guard weight") != null)
                .map(r -> number(r, "guard weight"))
                .toList();
        assertThat(weights).contains(0.0, 1.0).anyMatch(w -> w > 0 && w < 1).allMatch(w -> w >= 0 && w <= 1);
    }

    @Test
    void priceChartDrawsTheRawMedianBesideTheServedOne() {
        List<Map<String, Object>> rows = runOverviewPanel(2);

        assertThat(rows).anyMatch(r -> r.get("raw model") == null).anyMatch(r -> r.get("raw model") != null);
        // Where the guard weight is 0 the served line lies on the naive one, the raw one does not.
        assertThat(rows)
                .filteredOn(r -> r.get("raw model") != null && number(r, "predicted") == number(r, "naive"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(number(r, "raw model")).isNotEqualTo(number(r, "naive")));
    }

    @Test
    void modelPickerDefaultsToTheChampionAndLabelsEachVersionWithItsStatus() throws SQLException {
        JsonNode dashboard = OpsFiles.readJson(OpsFiles.grafana().resolve("dashboards/chronoprice-overview.json"));
        JsonNode variable = dashboard.path("templating").path("list").findParents("name").stream()
                .filter(v -> v.path("name").asText().equals("model_version"))
                .findFirst()
                .orElseThrow();
        String sql = GrafanaMacros.expandMacros(
                GrafanaMacros.interpolateVariables(
                        variable.path("query").asText(),
                        Map.of(
                                "exchange", Variable.single(EXCHANGE),
                                "symbol", Variable.single(SYMBOLS.get(0)),
                                "interval", Variable.single("1m"))),
                now.minus(RANGE),
                now,
                INTERVAL);
        List<String> values = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (Connection c = connect(db.reader());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString("__value"));
                texts.add(rs.getString("__text"));
            }
        }

        // The challenger wrote the newest prediction (a moment after the champion's): the champion still comes first,
        // and Grafana's first value is the default on load.
        assertThat(values).containsExactly(MODEL, CHALLENGER);
        assertThat(texts).containsExactly(MODEL + " (champion)", CHALLENGER + " (challenger)");
    }

    @Test
    void championVsChallengerTableMatchesAnIndependentComputation() {
        List<Map<String, Object>> rows = runOverviewPanel(17);
        List<Seeded[]> common = commonTargets(now.minus(RANGE), now);

        assertThat(common)
                .hasSizeBetween(100, resolvedInRange(now.minus(RANGE), now).size() - 100);
        assertThat(rows).extracting(r -> r.get("version")).containsExactly(MODEL, CHALLENGER);
        assertThat(rows).extracting(r -> r.get("status")).containsExactly("champion", "challenger");
        Map<String, Object> champion = rows.get(0);
        Map<String, Object> challenger = rows.get(1);
        for (Map<String, Object> row : rows) {
            assertThat(number(row, "common targets")).isEqualTo(common.size());
        }
        assertClose(champion, "MAE", mae(common, 0));
        assertClose(challenger, "MAE", mae(common, 1));
        assertClose(champion, "MASE", mae(common, 0) / naiveMae(common));
        assertClose(challenger, "MASE", mae(common, 1) / naiveMae(common));
        long beat = common.stream().filter(t -> absError(t[1]) < absError(t[0])).count();
        long lost = common.stream().filter(t -> absError(t[1]) > absError(t[0])).count();
        assertClose(challenger, "beat the champion", (double) beat / common.size());
        assertClose(challenger, "lost to the champion", (double) lost / common.size());
        assertClose(
                challenger,
                "mean error difference",
                common.stream()
                        .mapToDouble(t -> absError(t[1]) - absError(t[0]))
                        .average()
                        .orElseThrow());
        // Plausible: both win some targets, and where both served the naive forecast they tie.
        assertThat(beat).isPositive();
        assertThat(lost).isPositive();
        assertThat(beat + lost).isLessThan(common.size());
        assertThat(champion.get("beat the champion")).isNull();
        assertThat(champion.get("mean error difference")).isNull();
    }

    @Test
    void rollingChampionVsChallengerPanelsCountOnlyCommonTargetsAndEndOnTheLastHoursNumbers() {
        List<Seeded[]> common = commonTargets(now.minus(RANGE), now);
        Instant newest = common.get(common.size() - 1)[0].target();
        List<Seeded[]> lastHour = common.stream()
                .filter(t -> !t[0].target().isBefore(newest.minus(Duration.ofHours(1))))
                .toList();

        for (int panel : List.of(15, 16)) {
            List<Map<String, Object>> rows = runOverviewPanel(panel);
            // One point per version and common target: nothing from the champion's hours before the challenger.
            assertThat(rows).hasSize(2 * common.size());
            assertThat(rows.get(0).get("time")).isEqualTo(common.get(0)[0].target());
            assertThat(rows)
                    .extracting(r -> r.get("metric"))
                    .containsOnly(MODEL + " (champion)", CHALLENGER + " (challenger)");
            Map<String, Map<String, Object>> last = new LinkedHashMap<>();
            rows.stream().filter(r -> newest.equals(r.get("time"))).forEach(r -> last.put((String) r.get("metric"), r));
            assertThat(last).hasSize(2);
            for (int version = 0; version < 2; version++) {
                Map<String, Object> row = last.get(version == 0 ? MODEL + " (champion)" : CHALLENGER + " (challenger)");
                if (panel == 15) {
                    assertClose(row, "MAE (1 h)", mae(lastHour, version));
                } else {
                    assertClose(row, "MASE (1 h)", mae(lastHour, version) / naiveMae(lastHour));
                }
            }
        }
    }

    @Test
    void modelsTableShowsTheLifecycleChampionFirst() {
        List<Map<String, Object>> rows = runOverviewPanel(9);

        assertThat(rows).extracting(r -> r.get("version")).containsExactly(MODEL, CHALLENGER);
        assertThat(rows).extracting(r -> r.get("status")).containsExactly("champion", "challenger");
        assertThat(rows)
                .extracting(r -> r.get("latest event"))
                .containsExactly("promoted by alice: first model", "added by bob: retrained");
        assertThat(rows).extracting(r -> number(r, "artifact (bytes)")).containsExactly(2048.0, 3000.0);
        assertThat(rows).extracting(r -> r.get("selected")).containsExactly(true, false);
    }

    @Test
    void maseAlertJudgesTheChampionOfEachSeries() throws SQLException {
        JsonNode doc = OpsFiles.JSON.valueToTree(
                OpsFiles.readYaml(OpsFiles.grafana().resolve("provisioning/alerting/chronoprice-alerts.yml")));
        JsonNode query = doc.findParents("uid").stream()
                .filter(r -> r.path("uid").asText().equals("chronoprice-mase-above-naive"))
                .findFirst()
                .orElseThrow()
                .path("data")
                .get(0);
        Instant from =
                now.minusSeconds(query.path("relativeTimeRange").path("from").asLong());
        String sql =
                GrafanaMacros.expandMacros(query.path("model").path("rawSql").asText(), from, now, INTERVAL);
        Map<String, Double> mase = new LinkedHashMap<>();
        try (Connection c = connect(db.reader());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                mase.put(rs.getString("series"), rs.getDouble("mase"));
            }
        }

        assertThat(mase).hasSize(SYMBOLS.size());
        for (String symbol : SYMBOLS) {
            // The champion's rows only, though the challenger wrote the newest prediction of every target.
            List<Seeded> resolved = SEEDED.stream()
                    .filter(p -> p.symbol().equals(symbol) && p.actual() != null && inRange(p, from, now))
                    .toList();
            assertThat(mase.get(EXCHANGE + " " + symbol + " 1m"))
                    .as(symbol)
                    .isCloseTo(mase(resolved, Seeded::predicted), within(1e-9));
        }
    }

    // ---- accuracy_buckets(): the hourly sums the dashboards read (migration V9) ----

    /**
     * Per hour, the function gives what the rows give: for both versions of both symbols, over ranges on and off hour
     * boundaries, inside one hour, around the whole series and after it; with the prefix sums current, then with a
     * candle corrected in the middle of the series and not yet refreshed, then refreshed.
     */
    @Test
    void accuracyBucketsGiveEachHoursRowLevelSumsWithCurrentAndWithStaleSums() throws SQLException {
        try (Connection c = connect(db.writer())) {
            assertThat(markers(c)).as("the seed's refresh left no hour marked").isZero();
            assertBucketsAreTheRowLevelSums(c);

            c.setAutoCommit(false);
            try {
                Seeded middle = resolvedInRange(Instant.EPOCH, now)
                        .get(resolvedInRange(Instant.EPOCH, now).size() / 2);
                Instant hour = middle.target().truncatedTo(ChronoUnit.HOURS);
                Map<Instant, Map<String, Object>> before =
                        buckets(c, SYMBOLS.get(0), MODEL, hour, hour.plusSeconds(3600));
                // A corrected candle: the actual of a prediction hours before the newest one.
                try (PreparedStatement ps = c.prepareStatement("UPDATE candles SET close = close * 1.01"
                        + " WHERE exchange = ? AND symbol = ? AND interval = '1m' AND open_time = ?")) {
                    ps.setString(1, EXCHANGE);
                    ps.setString(2, SYMBOLS.get(0));
                    ps.setObject(3, OffsetDateTime.ofInstant(middle.target(), ZoneOffset.UTC));
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                assertThat(markers(c)).as("the correction marked its hour").isPositive();
                Map<Instant, Map<String, Object>> stale =
                        buckets(c, SYMBOLS.get(0), MODEL, hour, hour.plusSeconds(3600));
                assertThat(number(stale.get(hour), "sum_abs_error"))
                        .as("the corrected hour, before a refresh")
                        .isNotEqualTo(number(before.get(hour), "sum_abs_error"));
                assertBucketsAreTheRowLevelSums(c);

                assertThat(AccuracyRollups.refresh(c)).isPositive();
                assertThat(markers(c)).isZero();
                assertBucketsAreTheRowLevelSums(c);
            } finally {
                c.rollback();
            }
        }
    }

    private static void assertBucketsAreTheRowLevelSums(Connection c) throws SQLException {
        for (String symbol : SYMBOLS) {
            List<Seeded> series =
                    SEEDED.stream().filter(p -> p.symbol().equals(symbol)).toList();
            Instant first = series.get(0).target();
            Instant last = series.get(series.size() - 1).target();
            Instant firstHour = first.truncatedTo(ChronoUnit.HOURS);
            List<Instant[]> ranges = List.of(
                    new Instant[] {first.minus(1, ChronoUnit.DAYS), last.plus(1, ChronoUnit.DAYS)},
                    new Instant[] {firstHour.plusSeconds(3600), last.truncatedTo(ChronoUnit.HOURS)},
                    new Instant[] {first.plusSeconds(17 * 60 + 5), last.minusSeconds(23 * 60)},
                    new Instant[] {firstHour.plusSeconds(2 * 3600 + 5 * 60), firstHour.plusSeconds(2 * 3600 + 40 * 60)},
                    new Instant[] {now.minus(RANGE), now},
                    new Instant[] {last.plusSeconds(3600), last.plusSeconds(7200)});
            for (String version : List.of(MODEL, CHALLENGER)) {
                for (Instant[] range : ranges) {
                    String where = symbol + " " + version + " [" + range[0] + ", " + range[1] + ")";
                    Map<Instant, Map<String, Object>> fromFunction = buckets(c, symbol, version, range[0], range[1]);
                    Map<Instant, Map<String, Object>> fromRows =
                            rowLevelBuckets(c, symbol, version, range[0], range[1]);
                    assertThat(fromFunction.keySet()).as(where).isEqualTo(fromRows.keySet());
                    fromRows.forEach(
                            (hour, expected) -> assertSameTerms(where + " " + hour, fromFunction.get(hour), expected));
                }
            }
        }
    }

    /** The function's rows for one series and version, by hour, as the writer (which also sees its own changes). */
    private static Map<Instant, Map<String, Object>> buckets(
            Connection c, String symbol, String version, Instant from, Instant to) throws SQLException {
        return byHour(c, "SELECT * FROM accuracy_buckets(?, ?, '1m', ?, ?, ?)", symbol, version, from, to);
    }

    /**
     * The row-level answer: every additive term of V7's accuracy_terms summed per hour of target over the rows in
     * [from, to), with no prefix sums involved. The terms are the function's own columns.
     */
    private static Map<Instant, Map<String, Object>> rowLevelBuckets(
            Connection c, String symbol, String version, Instant from, Instant to) throws SQLException {
        List<String> terms = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM accuracy_buckets('', '', '', '', now(), now())")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String name = rs.getMetaData().getColumnName(i);
                if (!Set.of("bucket", "first_target", "last_target").contains(name)) {
                    terms.add("COALESCE(sum(" + name + "), 0) AS " + name);
                }
            }
        }
        assertThat(terms).hasSizeGreaterThan(20);
        return byHour(
                c,
                "SELECT date_trunc('hour', target_open_time) AS bucket, min(target_open_time) AS first_target,"
                        + " max(target_open_time) AS last_target, " + String.join(", ", terms)
                        + " FROM accuracy_terms WHERE exchange = ? AND symbol = ?"
                        + " AND interval = '1m' AND model_version = ? AND target_open_time >= ? AND target_open_time < ?"
                        + " GROUP BY 1",
                symbol,
                version,
                from,
                to);
    }

    private static Map<Instant, Map<String, Object>> byHour(
            Connection c, String sql, String symbol, String version, Instant from, Instant to) throws SQLException {
        Map<Instant, Map<String, Object>> rows = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, EXCHANGE);
            ps.setString(2, symbol);
            ps.setString(3, version);
            ps.setObject(4, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(5, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int k = 1; k <= md.getColumnCount(); k++) {
                        Object value = rs.getObject(k);
                        row.put(md.getColumnName(k), value instanceof Timestamp t ? t.toInstant() : value);
                    }
                    assertThat(rows.put((Instant) row.get("bucket"), row))
                            .as("one row per hour")
                            .isNull();
                }
            }
        }
        return rows;
    }

    /** Counts and target times exactly, sums to a relative 1e-9 (prefix-sum differences add in another order). */
    private static void assertSameTerms(String where, Map<String, Object> actual, Map<String, Object> expected) {
        assertThat(actual.keySet()).as(where).isEqualTo(expected.keySet());
        expected.forEach((column, want) -> {
            Object got = actual.get(column);
            if (want instanceof Double w) {
                assertThat(got).as(where + " " + column).isInstanceOf(Double.class);
                assertThat((Double) got).as(where + " " + column).isCloseTo(w, within(1e-9 * Math.max(1, Math.abs(w))));
            } else if (want instanceof Number w) {
                // A count: bigint from the function, numeric (sum of bigints) from the rows.
                assertThat(got).as(where + " " + column).isInstanceOf(Long.class);
                assertThat(new BigDecimal(w.toString()))
                        .as(where + " " + column)
                        .isEqualByComparingTo(BigDecimal.valueOf((Long) got));
            } else {
                assertThat(got).as(where + " " + column).isEqualTo(want);
            }
        });
    }

    private static long markers(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM accuracy_dirty")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- expected values, straight from the definitions ----

    /**
     * The first symbol's targets in [from, to] that both versions predicted and that are resolved, oldest first: for
     * each, the champion's prediction and the challenger's.
     */
    private static List<Seeded[]> commonTargets(Instant from, Instant to) {
        Map<Instant, Seeded> challenger = new LinkedHashMap<>();
        CHALLENGER_SEEDED.stream()
                .filter(p -> p.symbol().equals(SYMBOLS.get(0)) && p.actual() != null && inRange(p, from, to))
                .forEach(p -> challenger.put(p.target(), p));
        return resolvedInRange(from, to).stream()
                .filter(p -> challenger.containsKey(p.target()))
                .map(p -> new Seeded[] {p, challenger.get(p.target())})
                .toList();
    }

    private static double absError(Seeded p) {
        return Math.abs(p.predicted() - p.actual());
    }

    /** MAE of one version (0: champion, 1: challenger) over common targets. */
    private static double mae(List<Seeded[]> common, int version) {
        return common.stream().mapToDouble(t -> absError(t[version])).average().orElseThrow();
    }

    private static double naiveMae(List<Seeded[]> common) {
        return common.stream()
                .mapToDouble(t -> Math.abs(t[0].naive() - t[0].actual()))
                .average()
                .orElseThrow();
    }

    private static boolean inRange(Seeded p, Instant from, Instant to) {
        return !p.target().isBefore(from) && !p.target().isAfter(to);
    }

    /** The first symbol's resolved predictions with a target in [from, to], oldest first. */
    private static List<Seeded> resolvedInRange(Instant from, Instant to) {
        return SEEDED.stream()
                .filter(p -> p.symbol().equals(SYMBOLS.get(0)) && p.actual() != null && inRange(p, from, to))
                .toList();
    }

    /**
     * The first symbol's resolved predictions in [from, to) by hour of target, oldest first, keyed as the hourly panels
     * draw them: at the hour's start, or at {@code from} for the hour it falls in.
     */
    private static Map<Instant, List<Seeded>> hourly(Instant from, Instant to) {
        Map<Instant, List<Seeded>> hours = new TreeMap<>();
        for (Seeded p : resolvedInRange(from, to)) {
            if (p.target().isBefore(to)) {
                Instant hour = p.target().truncatedTo(ChronoUnit.HOURS);
                hours.computeIfAbsent(hour.isBefore(from) ? from : hour, h -> new ArrayList<>())
                        .add(p);
            }
        }
        return hours;
    }

    private static double meanAbs(List<Seeded> rows, ToDoubleFunction<Seeded> forecast) {
        return rows.stream()
                .mapToDouble(p -> Math.abs(forecast.applyAsDouble(p) - p.actual()))
                .average()
                .orElseThrow();
    }

    /** Share of the directional calls that were right; no call where the close or the forecast is the naive one. */
    private static OptionalDouble directionAccuracy(List<Seeded> rows) {
        return rows.stream()
                .filter(p -> p.actual() != p.naive() && p.predicted() != p.naive())
                .mapToDouble(p -> Math.signum(p.predicted() - p.naive()) == Math.signum(p.actual() - p.naive()) ? 1 : 0)
                .average();
    }

    private static List<Seeded> withRaw(List<Seeded> rows) {
        return rows.stream().filter(p -> p.online() != null).toList();
    }

    /** Mean absolute error of a forecast over the naive forecast's on the same rows. */
    private static double mase(List<Seeded> rows, ToDoubleFunction<Seeded> forecast) {
        double error = 0;
        double naive = 0;
        for (Seeded p : rows) {
            error += Math.abs(forecast.applyAsDouble(p) - p.actual());
            naive += Math.abs(p.naive() - p.actual());
        }
        return error / naive;
    }

    private static double coverage(List<Seeded> rows, ToDoubleFunction<Seeded> lower, ToDoubleFunction<Seeded> upper) {
        return rows.stream()
                .mapToDouble(p -> lower.applyAsDouble(p) <= p.actual() && p.actual() <= upper.applyAsDouble(p) ? 1 : 0)
                .average()
                .orElseThrow();
    }

    /** Mean Winkler score (alpha 0.2: width + 10 x distance outside) in basis points of the actual close. */
    private static double winklerBps(
            List<Seeded> rows, ToDoubleFunction<Seeded> lower, ToDoubleFunction<Seeded> upper) {
        return rows.stream()
                .mapToDouble(p -> {
                    double l = lower.applyAsDouble(p);
                    double u = upper.applyAsDouble(p);
                    double y = p.actual();
                    return ((u - l) + 10 * Math.max(l - y, 0) + 10 * Math.max(y - u, 0)) / y * 10_000;
                })
                .average()
                .orElseThrow();
    }

    /** A statistic of an interval, given its bounds per row. */
    @FunctionalInterface
    private interface IntervalStatistic {
        double of(List<Seeded> rows, ToDoubleFunction<Seeded> lower, ToDoubleFunction<Seeded> upper);
    }

    /** Checks one statistic of the served, raw, rolling-volatility and EWMA-volatility intervals, in that order. */
    private static void assertIntervals(
            Map<String, Object> row,
            List<Seeded> rows,
            String served,
            String raw,
            String rolling,
            String ewma,
            IntervalStatistic statistic) {
        List<Seeded> recorded = withRaw(rows);
        assertClose(row, served, statistic.of(rows, Seeded::lower, Seeded::upper));
        assertClose(row, raw, statistic.of(recorded, p -> p.online().rawLower(), p -> p.online()
                .rawUpper()));
        assertClose(
                row,
                rolling,
                statistic.of(
                        recorded,
                        p -> p.naive() * Math.exp(-Z80 * p.online().rollingSigma()),
                        p -> p.naive() * Math.exp(Z80 * p.online().rollingSigma())));
        assertClose(
                row,
                ewma,
                statistic.of(
                        recorded,
                        p -> p.naive() * Math.exp(-Z80 * p.online().ewmaSigma()),
                        p -> p.naive() * Math.exp(Z80 * p.online().ewmaSigma())));
    }

    private static void assertClose(Map<String, Object> row, String column, double expected) {
        assertThat(number(row, column))
                .as(column + " in " + row)
                .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }

    private static double number(Map<String, Object> row, String column) {
        assertThat(row).containsKey(column);
        Object value = row.get(column);
        assertThat(value).as(column + " in " + row).isInstanceOf(Number.class);
        return ((Number) value).doubleValue();
    }

    /**
     * Runs a panel of the overview dashboard as Grafana would on first load for the first symbol (the variables'
     * first values), as the reader; rows by column label, timestamps as Instants.
     */
    private static List<Map<String, Object>> runOverviewPanel(int id) {
        try (Connection c = connect(db.reader())) {
            return runOverviewPanel(c, id);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The same on a given connection: the writer's, to see its own uncommitted changes. */
    private static List<Map<String, Object>> runOverviewPanel(Connection c, int id) {
        JsonNode dashboard = OpsFiles.readJson(OpsFiles.grafana().resolve("dashboards/chronoprice-overview.json"));
        JsonNode panel = panels(dashboard).stream()
                .filter(p -> p.path("id").asInt() == id)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no panel " + id));
        Map<String, Variable> variables = Map.of(
                "exchange", Variable.single(EXCHANGE),
                "symbol", Variable.single(SYMBOLS.get(0)),
                "interval", Variable.single("1m"),
                "model_version", Variable.single(MODEL));
        String sql = GrafanaMacros.expandMacros(
                GrafanaMacros.interpolateVariables(
                        panel.path("targets").get(0).path("rawSql").asText(), variables),
                now.minus(RANGE),
                now,
                INTERVAL);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    row.put(md.getColumnLabel(i), value instanceof Timestamp t ? t.toInstant() : value);
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new AssertionError("panel " + id + " failed: " + e.getMessage() + "\n" + sql, e);
        }
        return rows;
    }

    private static boolean isSql(JsonNode target) {
        return target.path("datasource").path("uid").asText().equals(DashboardJsonTest.DATASOURCE_UID);
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add); // panels inside collapsed rows
        }
        return all;
    }

    private static List<String> runVariable(String label, String rawSql, Map<String, Variable> variables) {
        String sql = GrafanaMacros.expandMacros(
                GrafanaMacros.interpolateVariables(rawSql, variables), now.minus(RANGE), now, INTERVAL);
        List<String> values = new ArrayList<>();
        try (Connection c = connect(db.reader());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            c.setReadOnly(true);
            assertThat(rs.getMetaData().getColumnCount()).as(label).isGreaterThanOrEqualTo(1);
            // Grafana takes the value from a column named __value when there is one (and the label from __text).
            int column = rs.findColumn(
                    hasColumn(rs, "__value") ? "__value" : rs.getMetaData().getColumnLabel(1));
            while (rs.next()) {
                values.add(rs.getString(column));
            }
        } catch (SQLException e) {
            throw new AssertionError(label + " failed: " + e.getMessage() + "\n" + sql, e);
        }
        assertThat(values).as(label + " values\n" + sql).isNotEmpty().doesNotContainNull();
        return values;
    }

    private static boolean hasColumn(ResultSet rs, String label) throws SQLException {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            if (rs.getMetaData().getColumnLabel(i).equals(label)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the query as the reader and checks it returns rows shaped for its format; returns the column
     * kinds ("time", "number", "text", "other").
     */
    private static List<String> checkResult(String label, String sql, String format, boolean needsNumber)
            throws SQLException {
        assertThat(format).as(label + " format").isIn("time_series", "table");
        try (Connection c = connect(db.reader())) {
            c.setReadOnly(true);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> names = new ArrayList<>();
                List<String> kinds = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnLabel(i));
                    int type = md.getColumnType(i);
                    kinds.add(
                            TIME_TYPES.contains(type)
                                    ? "time"
                                    : NUMBER_TYPES.contains(type)
                                            ? "number"
                                            : TEXT_TYPES.contains(type) ? "text" : "other");
                }
                int rows = 0;
                double lastTime = Double.NEGATIVE_INFINITY;
                int timeIndex = names.indexOf("time");
                while (rs.next()) {
                    rows++;
                    if (format.equals("time_series")) {
                        double t = kinds.get(timeIndex).equals("time")
                                ? rs.getTimestamp(timeIndex + 1).getTime() / 1000.0
                                : rs.getDouble(timeIndex + 1);
                        assertThat(t).as(label + ": time ascending\n" + sql).isGreaterThanOrEqualTo(lastTime);
                        lastTime = t;
                    }
                }
                assertThat(rows)
                        .as(label + ": rows for the seeded data\n" + sql)
                        .isPositive();
                if (format.equals("time_series")) {
                    // A timestamp, or epoch seconds as $__timeGroupAlias produces: Grafana takes both.
                    assertThat(timeIndex)
                            .as(label + ": a \"time\" column in " + names)
                            .isNotNegative();
                    assertThat(kinds.get(timeIndex))
                            .as(label + ": type of \"time\"")
                            .isIn("time", "number");
                    List<String> values = new ArrayList<>(kinds);
                    values.remove(timeIndex);
                    assertThat(values)
                            .as(label + ": value columns " + names + " are numbers (text columns become labels)")
                            .contains("number")
                            .isSubsetOf("number", "text");
                } else if (needsNumber) {
                    assertThat(kinds)
                            .as(label + ": a numeric column for a stat " + names)
                            .contains("number");
                }
                return kinds;
            }
        } catch (SQLException e) {
            throw new AssertionError(label + " failed: " + e.getMessage() + "\n" + sql, e);
        }
    }
}
