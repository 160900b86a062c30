package io.chronoprice.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.grafana.GrafanaMacros.Variable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every dashboard variable, panel target and alert query against a real PostgreSQL with the real
 * migrations, as the read-only role Grafana uses, after expanding Grafana's variables and macros. The
 * database holds real Binance candles (the replay exchange's demo data, shifted to end now) and
 * predictions derived from them, so every query must return rows, shaped the way its panel needs.
 */
class DashboardQueriesITCase {

    private static final String EXCHANGE = "binance";
    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");
    private static final String MODEL = "lstm-1m-test";
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

    private static EmbeddedDatabase db;
    private static Instant now;

    @BeforeAll
    static void startAndSeed() throws Exception {
        db = EmbeddedDatabase.startForTests();
        now = Instant.now();
        try (Connection c = connect(db.writer())) {
            c.setAutoCommit(false);
            for (String symbol : SYMBOLS) {
                seed(c, symbol);
            }
            seedModelAndGaps(c);
            c.commit();
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    /** Real candles, shifted so the newest closed two minutes ago; one prediction per full window. */
    private static void seed(Connection c, String symbol) throws IOException, SQLException {
        List<double[]> rows = readCandles(symbol);
        long lastOpen =
                now.truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES).toEpochMilli();
        long shift = lastOpen - (long) rows.get(rows.size() - 1)[0];
        try (PreparedStatement candle = c.prepareStatement(
                        "INSERT INTO candles (exchange, symbol, interval,"
                                + " open_time, open, high, low, close, volume, ingested_at) VALUES (?, ?, '1m', ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement prediction = c.prepareStatement(
                        "INSERT INTO predictions (exchange, symbol,"
                                + " interval, target_open_time, model_version, predicted_close, lower_close, upper_close,"
                                + " naive_close, window_end_open_time, created_at) VALUES (?, ?, '1m', ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                    // A deterministic "model": the last close nudged up or down, with a +-0.2 % band.
                    double last = r[4];
                    double predicted = last * (1 + 0.0004 * Math.sin(i * 0.7));
                    Instant target = open.plus(INTERVAL);
                    prediction.setString(1, EXCHANGE);
                    prediction.setString(2, symbol);
                    prediction.setTimestamp(3, Timestamp.from(target));
                    prediction.setString(4, MODEL);
                    prediction.setDouble(5, predicted);
                    prediction.setDouble(6, predicted * 0.998);
                    prediction.setDouble(7, predicted * 1.002);
                    prediction.setDouble(8, last);
                    prediction.setTimestamp(9, Timestamp.from(open));
                    prediction.setTimestamp(
                            10, Timestamp.from(target.plusSeconds(3).plusMillis(400)));
                    prediction.addBatch();
                }
            }
            candle.executeBatch();
            prediction.executeBatch();
        }
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

    private static void seedModelAndGaps(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO models (model_version, created_at, interval, window_size, feature_names,"
                    + " quantiles, training_from, training_to, eval_metrics, artifact_sha256) VALUES ('" + MODEL
                    + "', now() - interval '2 days', '1m', " + WINDOW + ", ARRAY['log_return','range','volume_z'],"
                    + " ARRAY[0.1,0.5,0.9], '2021-05-14', '2021-06-14', '{\"mae\": 12.3, \"mase\": 0.99}',"
                    + " repeat('ab', 32))");
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
                        if (query.path("datasourceUid").asText().equals("__expr__")) {
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
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(label + " failed: " + e.getMessage() + "\n" + sql, e);
        }
        assertThat(values).as(label + " values\n" + sql).isNotEmpty().doesNotContainNull();
        return values;
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
