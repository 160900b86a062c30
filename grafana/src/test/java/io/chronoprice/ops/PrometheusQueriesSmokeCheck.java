package io.chronoprice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronoprice.ops.GrafanaMacros.Variable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every PromQL query of the dashboards and the alert rules, evaluated by the local run's real Prometheus through its
 * HTTP API ({@code /api/v1/query}) with Grafana's variables expanded, and checked for plausible series: one per
 * symbol, per reason, per task, numbers in their ranges, alerts quiet on a healthy pipeline. Before that, it turns
 * the replay exchange bad and waits for the rejected candles to rise.
 *
 * <p>It needs the running local stack, so it is not part of {@code mvn verify}: {@code scripts/local-run-smoke.sh}
 * starts {@code ./chronoprice up} and runs it with {@code -Dtest=PrometheusQueriesSmokeCheck} and the stack's
 * addresses as {@code chronoprice.smoke.*} system properties.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusQueriesSmokeCheck {

    private static final URI PROMETHEUS = URI.create(required("chronoprice.smoke.prometheus-url"));
    private static final URI REPLAY = URI.create(required("chronoprice.smoke.replay-url"));
    private static final URI API = URI.create(required("chronoprice.smoke.api-url"));
    private static final String DB_URL = required("chronoprice.smoke.db-url");
    private static final String DB_USER = required("chronoprice.smoke.db-user");
    private static final String DB_PASSWORD = required("chronoprice.smoke.db-password");

    private static final Path PIPELINE = OpsFiles.grafana().resolve("dashboards/chronoprice-pipeline.json");
    /** The pipeline dashboard's default range, and the $__interval Grafana picks for it at ~1000 px. */
    private static final Duration RANGE = Duration.ofHours(6);

    private static final Duration INTERVAL = Duration.ofSeconds(20);

    /** A symbol's source must have read a candle within this much exchange time (30 s of the demo's 60x clock). */
    private static final double MAX_POLL_LAG_SECONDS = 30 * 60;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Duration scrapeInterval;
    private static Map<String, Variable> variables;
    private static Set<String> models;
    private static Set<String> rejectReasons;
    private static ScheduledExecutorService traffic;
    private static Socket liveClient;

    /** One series of an instant vector. */
    record Series(Map<String, String> labels, double value) {
        String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    /** A panel's or rule's query, expanded. */
    record Query(String name, String expr, String legend) {}

    @BeforeAll
    static void resolveVariablesAndStartClients() throws Exception {
        JsonNode datasources = OpsFiles.JSON.valueToTree(
                OpsFiles.readYaml(OpsFiles.grafana().resolve("provisioning/datasources/chronoprice.yml")));
        scrapeInterval = GrafanaMacros.parseInterval(datasources
                .path("datasources")
                .findValues("timeInterval")
                .get(0)
                .asText());
        variables = resolveVariables(OpsFiles.readJson(PIPELINE));
        models = new TreeSet<>(sql("SELECT model_version FROM models"));
        rejectReasons = rejectReasonLabels();

        // The API panels need traffic in every rate window: a user reading predictions and metrics, and a bad link.
        traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleWithFixedDelay(
                () -> {
                    for (String path : List.of(
                            "/price/prediction?symbol=BTCUSDT",
                            "/metrics/model?symbol=ETHUSDT",
                            "/price/prediction?symbol=NOSUCHSYMBOL")) {
                        try {
                            HTTP.send(
                                    HttpRequest.newBuilder(API.resolve(path)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                        } catch (IOException e) {
                            // the next round tries again; a dead API fails the checks below
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);
        // A page's live stream, held open for the whole check (a bare socket: the stream sends nothing until a row
        // of its series arrives).
        liveClient = new Socket(API.getHost(), API.getPort());
        liveClient
                .getOutputStream()
                .write(("GET /live?symbol=BTCUSDT HTTP/1.1\r\nHost: " + API.getHost()
                                + "\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        liveClient.getOutputStream().flush();
    }

    @AfterAll
    static void restoreTheExchangeAndStopClients() throws Exception {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        if (liveClient != null) {
            liveClient.close();
        }
        setFaults("");
    }

    @Test
    @Order(1)
    void prometheusScrapesTheJobAndTheApi() {
        // Six scrapes of each target, so that every rate window ($__rate_interval, four scrapes) holds samples.
        Duration window = scrapeInterval.multipliedBy(6);
        awaitQuery(
                "count_over_time(up[" + window.toSeconds() + "s])",
                Duration.ofMinutes(3),
                result -> result.size() == 2 && result.stream().allMatch(s -> s.value() >= 5));
        List<Series> up = query("up");
        assertThat(up.stream().map(s -> s.label("job"))).containsExactlyInAnyOrder("flink", "metrics-api");
        assertThat(up).as("both targets answer").allMatch(s -> s.value() == 1);
    }

    @Test
    @Order(2)
    void rejectedCandlesRiseWhenTheReplayExchangeTurnsBad() throws Exception {
        Query rejects = panelQueries().stream()
                .filter(q -> q.name().startsWith("Rejected candles by reason"))
                .findFirst()
                .orElseThrow();
        List<Series> before = query(rejects.expr());
        assertThat(before.stream().map(s -> s.label("reason"))).containsExactlyInAnyOrderElementsOf(rejectReasons);
        assertThat(before).as("no rejects from the clean exchange").allMatch(s -> s.value() == 0);

        // A fifth of the answers broken JSON, a tenth 5xx: the source rejects the first and retries both.
        setFaults("fault-malformed=0.2&fault-5xx=0.1&seed=14");
        List<Series> after = awaitQuery(rejects.expr(), Duration.ofSeconds(90), result -> result.stream()
                .anyMatch(s -> s.label("reason").equals("malformed-response") && s.value() > 0));
        assertThat(after)
                .filteredOn(s -> !s.label("reason").equals("malformed-response"))
                .as("single candles are still valid")
                .allMatch(s -> s.value() == 0);
    }

    @TestFactory
    @Order(3)
    Stream<DynamicTest> everyPanelQueryHasPlausibleSeries() {
        Map<String, BiConsumer<Query, List<Series>>> checks = panelChecks();
        List<Query> queries = panelQueries();
        assertThat(queries.stream().map(Query::name))
                .as("every PromQL panel query has its plausibility check here")
                .containsExactlyInAnyOrderElementsOf(checks.keySet());
        return queries.stream()
                .map(q -> DynamicTest.dynamicTest(q.name(), () -> {
                    List<Series> result = query(q.expr());
                    assertCommon(q, result);
                    checks.get(q.name()).accept(q, result);
                }));
    }

    @TestFactory
    @Order(4)
    Stream<DynamicTest> everyAlertQueryHasASeriesPerInstanceAndNoneFiresOnAHealthyPipeline() {
        JsonNode doc = OpsFiles.JSON.valueToTree(
                OpsFiles.readYaml(OpsFiles.grafana().resolve("provisioning/alerting/chronoprice-alerts.yml")));
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : doc.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                JsonNode data = rule.path("data");
                for (JsonNode q : data) {
                    if (!q.path("datasourceUid").asText().equals(DashboardJsonTest.PROMETHEUS_UID)) {
                        continue;
                    }
                    String uid = rule.path("uid").asText();
                    JsonNode evaluator = condition(data, q.path("refId").asText());
                    tests.add(DynamicTest.dynamicTest(uid, () -> {
                        // Alert rules have no template variables: the expression goes to Prometheus as written.
                        String expr = q.path("model").path("expr").asText();
                        List<Series> result = query(expr);
                        assertThat(result).as(uid + " series\n" + expr).isNotEmpty();
                        assertThat(result).allSatisfy(s -> assertThat(s.value()).isFinite());
                        expectedAlertInstances(uid, result);
                        double threshold = evaluator.path("params").get(0).asDouble();
                        Predicate<Double> firing =
                                switch (evaluator.path("type").asText()) {
                                    case "gt" -> v -> v > threshold;
                                    case "lt" -> v -> v < threshold;
                                    default -> throw new AssertionError("evaluator " + evaluator);
                                };
                        assertThat(result).as(uid + " firing on a healthy run").noneMatch(s -> firing.test(s.value()));
                    }));
                }
            }
        }
        assertThat(tests).hasSize(3);
        return tests.stream();
    }

    // -------------------------------------------------------------------------------------------- checks

    /** Labels, finite numbers, non-negative: every query of the pipeline dashboard counts, times or measures. */
    private static void assertCommon(Query q, List<Series> result) {
        assertThat(result).as(q.name() + ": series of\n" + q.expr()).isNotEmpty();
        Matcher legend = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(q.legend());
        while (legend.find()) {
            String label = legend.group(1);
            assertThat(result).as(q.name() + ": the legend's label " + label).allMatch(s -> !s.label(label)
                    .isEmpty());
        }
        assertThat(result).allSatisfy(s -> assertThat(s.value())
                .as(q.name() + " " + s.labels())
                .isFinite()
                .isGreaterThanOrEqualTo(0));
    }

    /** What each panel query must show on the local run, with the exchange's faults on and an API in use. */
    private Map<String, BiConsumer<Query, List<Series>>> panelChecks() {
        Map<String, BiConsumer<Query, List<Series>>> c = new LinkedHashMap<>();
        c.put("Rejected candles by reason (Prometheus) A", (q, r) -> {
            assertThat(r.stream().map(s -> s.label("reason"))).containsExactlyInAnyOrderElementsOf(rejectReasons);
            assertThat(valueOf(r, "reason", "malformed-response")).isPositive();
        });
        c.put("Exchange polls, HTTP errors and retries A", (q, r) -> assertThat(single(r))
                .isPositive());
        c.put("Exchange polls, HTTP errors and retries B", (q, r) -> assertThat(single(r))
                .isPositive());
        c.put("Exchange polls, HTTP errors and retries C", (q, r) -> {
            // Every HTTP error is retried, and so is every malformed body.
            double errors = single(query(sibling("Exchange polls, HTTP errors and retries B")));
            assertThat(single(r)).isGreaterThanOrEqualTo(errors);
        });
        c.put("Poll lag per symbol A", (q, r) -> {
            assertThat(r.stream().map(s -> s.label("symbol")))
                    .containsExactlyInAnyOrderElementsOf(variables.get("symbol").values());
            assertThat(r).allSatisfy(s -> assertThat(s.value()).isLessThan(MAX_POLL_LAG_SECONDS));
        });
        c.put("Inference latency p50 / p99 A", (q, r) -> {
            assertThat(r.stream().map(s -> s.label("model"))).isNotEmpty().allMatch(models::contains);
            assertThat(r).allSatisfy(s -> assertThat(s.value()).isPositive());
        });
        c.put("Inference latency p50 / p99 B", (q, r) -> {
            List<Series> p50 = query(sibling("Inference latency p50 / p99 A"));
            for (Series p99 : r) {
                assertThat(p99.value())
                        .as("p99 of " + p99.label("model") + " in µs")
                        .isGreaterThanOrEqualTo(valueOf(p50, "model", p99.label("model")))
                        .isLessThan(1_000_000);
            }
        });
        c.put("Backpressure by task A", (q, r) -> {
            assertThat(r).allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 1.0));
            // One series per task of the job graph: the candle source with its sinks, the registry source, the
            // windows, the scoring and the online layers with the prediction sink.
            assertThat(r.stream().map(s -> s.label("task_name")))
                    .hasSize(5)
                    .anyMatch(n -> n.startsWith("Source: exchange-candles"))
                    .contains("Source: model-registry", "full-windows", "onnx-predict")
                    .noneMatch(n -> n.contains("Committer"));
        });
        c.put("Checkpoint duration A", (q, r) -> assertThat(single(r)).isLessThan(60_000));
        c.put("Checkpoints completed and failed (per 10 min) A", (q, r) -> {
            // The local run checkpoints once a minute, and the checks may start before its first checkpoint has
            // completed and been scraped.
            List<Series> completed = awaitQuery(
                    q.expr(),
                    Duration.ofMinutes(3),
                    result -> result.size() == 1 && result.get(0).value() > 0);
            assertThat(single(completed)).isPositive();
        });
        c.put("Checkpoints completed and failed (per 10 min) B", (q, r) -> assertThat(r)
                .hasSize(1));
        c.put(
                "Job restarts and uptime A",
                (q, r) -> assertThat(single(r)).as("restarts").isZero());
        c.put(
                "Job restarts and uptime B",
                (q, r) -> assertThat(single(r)).as("uptime (s)").isBetween(1.0, 86_400.0));
        c.put("Records in per operator A", (q, r) -> {
            assertThat(r.stream().map(s -> s.label("operator_name")))
                    .contains(
                            "candles-to-postgres: Writer",
                            "gaps-to-postgres: Writer",
                            "predictions-to-postgres: Writer",
                            "onnx-predict")
                    .noneMatch(n -> n.contains("Committer"));
            assertThat(valueOf(r, "operator_name", "candles-to-postgres: Writer"))
                    .isPositive();
            assertThat(valueOf(r, "operator_name", "predictions-to-postgres: Writer"))
                    .isPositive();
        });
        c.put("API requests per second by status A", (q, r) -> {
            assertThat(valueOf(r, "status", "200")).isPositive();
            assertThat(valueOf(r, "status", "404")).isPositive();
        });
        c.put("API latency p50 / p99 A", (q, r) -> assertThat(single(r)).isPositive());
        c.put("API latency p50 / p99 B", (q, r) -> assertThat(single(r))
                .isGreaterThanOrEqualTo(single(query(sibling("API latency p50 / p99 A"))))
                .isLessThanOrEqualTo(10));
        c.put("API database pool and live clients A", (q, r) -> assertThat(r).hasSize(1));
        c.put("API database pool and live clients B", (q, r) -> assertThat(r).hasSize(1));
        c.put("API database pool and live clients C", (q, r) -> assertThat(r).hasSize(1));
        c.put("API database pool and live clients D", (q, r) -> {
            double active = single(query(sibling("API database pool and live clients A")));
            double idle = single(query(sibling("API database pool and live clients B")));
            assertThat(single(r)).isPositive().isGreaterThanOrEqualTo(active + idle);
        });
        c.put("API database pool and live clients E", (q, r) -> assertThat(single(r))
                .as("the check's own live stream")
                .isGreaterThanOrEqualTo(1));
        c.put("API report cache A", (q, r) -> assertThat(single(r)).isGreaterThanOrEqualTo(0));
        // Nothing asks for /metrics/model in the local run unless a page or a dashboard is open.
        c.put("API report cache B", (q, r) -> assertThat(r)
                .hasSizeLessThanOrEqualTo(1)
                .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0)));
        c.put("API report cache C", (q, r) -> assertThat(single(r))
                .as("the API hears the database's writes")
                .isEqualTo(1));
        return c;
    }

    private static void expectedAlertInstances(String uid, List<Series> result) {
        switch (uid) {
            case "chronoprice-source-stalled" ->
                assertThat(result.stream().map(s -> s.label("symbol")))
                        .containsExactlyInAnyOrderElementsOf(
                                variables.get("symbol").values());
            case "chronoprice-checkpoints-failing", "chronoprice-job-restarts" ->
                assertThat(result).singleElement().satisfies(s -> assertThat(s.label("job_name"))
                        .startsWith("ChronoPrice "));
            default -> fail("no expectation for alert " + uid);
        }
    }

    // ----------------------------------------------------------------------------------------- queries

    /** The pipeline dashboard's PromQL targets, named "panel title refId", expanded as Grafana would on load. */
    private static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : OpsFiles.readJson(PIPELINE).path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                if (t.path("datasource").path("uid").asText().equals(DashboardJsonTest.PROMETHEUS_UID)) {
                    queries.add(new Query(
                            panel.path("title").asText() + " " + t.path("refId").asText(),
                            GrafanaMacros.expandPromQl(
                                    t.path("expr").asText(), variables, INTERVAL, scrapeInterval, RANGE),
                            t.path("legendFormat").asText()));
                }
            }
        }
        // Only the pipeline dashboard queries Prometheus.
        for (Path file : OpsFiles.dashboards()) {
            if (!file.equals(PIPELINE)) {
                assertThat(OpsFiles.read(file)).doesNotContain(DashboardJsonTest.PROMETHEUS_UID);
            }
        }
        return queries;
    }

    private static String sibling(String name) {
        return panelQueries().stream()
                .filter(q -> q.name().equals(name))
                .findFirst()
                .orElseThrow()
                .expr();
    }

    /** An instant query at the current time, which must succeed with a vector. */
    private static List<Series> query(String expr) {
        JsonNode body;
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(PROMETHEUS.resolve("/api/v1/query"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            body = OpsFiles.JSON.readTree(response.body());
            assertThat(response.statusCode()).as(expr + "\n" + response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(body.path("status").asText()).as(expr).isEqualTo("success");
        assertThat(body.path("data").path("resultType").asText()).as(expr).isEqualTo("vector");
        List<Series> series = new ArrayList<>();
        for (JsonNode s : body.path("data").path("result")) {
            Map<String, String> labels = new HashMap<>();
            s.path("metric")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            series.add(
                    new Series(labels, Double.parseDouble(s.path("value").get(1).asText())));
        }
        return series;
    }

    private static List<Series> awaitQuery(String expr, Duration timeout, Predicate<List<Series>> done) {
        Instant deadline = Instant.now().plus(timeout);
        List<Series> result = query(expr);
        while (!done.test(result)) {
            if (Instant.now().isAfter(deadline)) {
                fail("Not reached in " + timeout + ": " + expr + "\nlast result: " + result);
            }
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            result = query(expr);
        }
        return result;
    }

    private static double single(List<Series> result) {
        assertThat(result).hasSize(1);
        return result.get(0).value();
    }

    private static double valueOf(List<Series> result, String label, String value) {
        return result.stream()
                .filter(s -> s.label(label).equals(value))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series with " + label + "=" + value + " in " + result))
                .value();
    }

    /** The threshold that decides whether a rule fires on the query {@code refId}. */
    private static JsonNode condition(JsonNode data, String refId) {
        for (JsonNode q : data) {
            if (q.path("model").path("type").asText().equals("threshold")
                    && q.path("model").path("expression").asText().equals(refId)) {
                return q.path("model").path("conditions").get(0).path("evaluator");
            }
        }
        throw new AssertionError("no threshold on " + refId);
    }

    // ---------------------------------------------------------------------------------- the local stack

    private static void setFaults(String query) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(REPLAY.resolve("/replay/faults" + (query.isEmpty() ? "" : "?" + query)))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The dashboard's variables as Grafana resolves them on load: in order, from PostgreSQL, first value or All. */
    private static Map<String, Variable> resolveVariables(JsonNode dashboard) throws SQLException {
        Map<String, Variable> resolved = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String sql = GrafanaMacros.expandMacros(
                    GrafanaMacros.interpolateVariables(v.path("query").asText(), resolved),
                    Instant.now().minus(RANGE),
                    Instant.now(),
                    INTERVAL);
            List<String> values = sql(sql);
            assertThat(values).as(v.path("name") + " values\n" + sql).isNotEmpty();
            boolean multiOrAll =
                    v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
            resolved.put(
                    v.path("name").asText(), new Variable(multiOrAll ? values : List.of(values.get(0)), multiOrAll));
        }
        assertThat(resolved.get("symbol").values()).containsExactlyInAnyOrder("BTCUSDT", "ETHUSDT", "SOLUSDT");
        return resolved;
    }

    /** The first column of every row, as the read-only role Grafana uses. */
    private static List<String> sql(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The labels of the source's reject reasons, from the job's source: a new reason needs no edit here. */
    private static Set<String> rejectReasonLabels() {
        String source = OpsFiles.read(OpsFiles.repoRoot()
                .resolve("flink-job/src/main/java/io/chronoprice/job/source/exchange/RejectReason.java"));
        Matcher m = Pattern.compile("\\b[A-Z_]+\\(\"([a-z-]+)\"\\)").matcher(source);
        Set<String> labels = new TreeSet<>();
        while (m.find()) {
            labels.add(m.group(1));
        }
        assertThat(labels).contains("malformed-response").hasSizeGreaterThan(3);
        return labels;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    property + " is not set: this check runs against the local stack, from scripts/local-run-smoke.sh");
        }
        return value;
    }
}
