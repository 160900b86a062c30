package io.chronoprice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Grafana needs from the dashboard JSON and the provisioning YAML. Grafana skips a broken provisioned
 * dashboard with a log line only, so these are checked here instead.
 */
class DashboardJsonTest {

    static final String DATASOURCE_UID = "chronoprice-pg";
    static final String PROMETHEUS_UID = "chronoprice-prom";
    private static final Set<String> DATASOURCE_TYPES = Set.of("grafana-postgresql-datasource", "postgres");

    static Stream<Path> dashboards() {
        return OpsFiles.dashboards().stream();
    }

    @Test
    void thereAreTheTwoDashboards() {
        assertThat(OpsFiles.dashboards().stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("chronoprice-overview.json", "chronoprice-pipeline.json");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void uidIsTheFileNameAndSchemaIsGrafana11Or12(Path file) {
        JsonNode d = OpsFiles.readJson(file);
        assertThat(d.path("uid").asText())
                .isEqualTo(file.getFileName().toString().replace(".json", ""));
        assertThat(d.path("uid").asText()).hasSizeLessThanOrEqualTo(40); // Grafana's uid limit
        assertThat(d.path("title").asText()).isNotBlank();
        assertThat(d.path("schemaVersion").asInt()).isBetween(39, 41);
        // A provisioned dashboard must not carry a database id, or it would clash across instances.
        assertThat(d.has("id") && !d.get("id").isNull()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelIdsAreUniqueAndEveryQueryPanelIsComplete(Path file) {
        JsonNode d = OpsFiles.readJson(file);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels(d)) {
            assertThat(ids.add(p.path("id").asInt(-1)))
                    .as("unique id " + p.path("id") + " in " + file)
                    .isTrue();
            assertThat(p.path("gridPos").path("w").asInt())
                    .as("width of " + p.path("title"))
                    .isBetween(1, 24);
            if (p.path("type").asText().equals("text")
                    || p.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(p.path("targets").size())
                    .as("targets of " + p.path("title"))
                    .isPositive();
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.path("targets")) {
                assertThat(refIds.add(t.path("refId").asText())).isTrue();
                String uid = t.path("datasource").path("uid").asText();
                assertThat(uid)
                        .as("a target's datasource is its panel's: " + p.path("title"))
                        .isEqualTo(p.path("datasource").path("uid").asText());
                if (uid.equals(PROMETHEUS_UID)) {
                    // PromQL in code mode; the legend names each series by the labels the query keeps.
                    assertThat(t.path("expr").asText()).isNotBlank();
                    assertThat(t.path("editorMode").asText()).isEqualTo("code");
                    assertThat(t.path("legendFormat").asText()).isNotBlank();
                    assertThat(t.path("range").asBoolean()).isTrue();
                } else {
                    assertThat(t.path("rawQuery").asBoolean()).isTrue();
                    assertThat(t.path("rawSql").asText()).isNotBlank();
                    assertThat(t.path("format").asText()).isIn("time_series", "table");
                }
            }
        }
        assertThat(ids).doesNotContain(-1);
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyDatasourceIsReferencedByUidNeverByName(Path file) {
        JsonNode d = OpsFiles.readJson(file);
        List<JsonNode> refs = new ArrayList<>();
        collect(d, "datasource", refs);
        assertThat(refs).isNotEmpty();
        for (JsonNode ref : refs) {
            assertThat(ref.isObject())
                    .as("datasource by name (a string) in " + file + ": " + ref)
                    .isTrue();
            assertThat(ref.path("uid").asText()).isIn(DATASOURCE_UID, PROMETHEUS_UID);
            if (ref.path("uid").asText().equals(PROMETHEUS_UID)) {
                assertThat(ref.path("type").asText()).isEqualTo("prometheus");
            } else {
                assertThat(ref.path("type").asText()).isIn(DATASOURCE_TYPES);
            }
        }
        // Template variables come from PostgreSQL, the source of truth for which series exist.
        for (JsonNode v : d.path("templating").path("list")) {
            assertThat(v.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE_UID);
        }
        // No ${DS_...} inputs of an exported dashboard either: provisioning does not fill them in.
        assertThat(d.has("__inputs")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void hasTheTemplateVariablesTheQueriesUse(Path file) {
        JsonNode d = OpsFiles.readJson(file);
        List<String> names = new ArrayList<>();
        for (JsonNode v : d.path("templating").path("list")) {
            names.add(v.path("name").asText());
            assertThat(v.path("type").asText()).isEqualTo("query");
            assertThat(v.path("query").asText()).isNotBlank();
            // Refresh on dashboard load, so a new symbol or model shows up without editing anything.
            assertThat(v.path("refresh").asInt()).isIn(1, 2);
        }
        assertThat(names).contains("symbol", "interval");
        if (file.getFileName().toString().equals("chronoprice-overview.json")) {
            assertThat(names).contains("model_version");
        }
    }

    @Test
    void datasourceProvisioningUsesTheReadOnlyRoleAndSecretFromTheEnvironment() {
        JsonNode doc = yaml("provisioning/datasources/chronoprice.yml");
        assertThat(doc.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode ds = doc.path("datasources").get(0);
        assertThat(doc.path("datasources").size()).isEqualTo(2);
        assertThat(ds.path("isDefault").asBoolean()).isTrue();
        assertThat(ds.path("name").asText()).isNotBlank();
        assertThat(ds.path("uid").asText()).isEqualTo(DATASOURCE_UID);
        assertThat(ds.path("type").asText()).isIn(DATASOURCE_TYPES);
        assertThat(ds.path("access").asText()).isEqualTo("proxy");
        assertThat(ds.path("url").asText()).startsWith("${").endsWith("}");
        assertThat(ds.path("user").asText()).isEqualTo("${CHRONOPRICE_DB_READER_USER}");
        assertThat(ds.path("jsonData").path("database").asText()).isEqualTo("chronoprice");
        assertThat(ds.path("secureJsonData").path("password").asText()).isEqualTo("${CHRONOPRICE_DB_READER_PASSWORD}");
        assertThat(ds.has("password"))
                .as("a clear-text password outside secureJsonData")
                .isFalse();
        assertThat(ds.path("jsonData").has("password")).isFalse();
    }

    @Test
    void prometheusDatasourceComesFromTheEnvironmentAndKnowsTheScrapeInterval() {
        JsonNode ds = yaml("provisioning/datasources/chronoprice.yml")
                .path("datasources")
                .get(1);
        assertThat(ds.path("uid").asText()).isEqualTo(PROMETHEUS_UID);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("access").asText()).isEqualTo("proxy");
        assertThat(ds.path("url").asText()).isEqualTo("${CHRONOPRICE_GRAFANA_PROMETHEUS_URL}");
        assertThat(ds.path("isDefault").asBoolean(false)).isFalse();
        // $__rate_interval is at least four scrape intervals only if Grafana knows the real one.
        Object prometheus = OpsFiles.readYaml(OpsFiles.repoRoot().resolve("deploy/prometheus/prometheus.yml"));
        assertThat(ds.path("jsonData").path("timeInterval").asText())
                .isEqualTo(OpsFiles.JSON
                        .valueToTree(prometheus)
                        .path("global")
                        .path("scrape_interval")
                        .asText());
    }

    @Test
    void dashboardProviderLoadsTheFilesReadOnly() {
        JsonNode doc = yaml("provisioning/dashboards/chronoprice.yml");
        assertThat(doc.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode p = doc.path("providers").get(0);
        assertThat(p.path("name").asText()).isNotBlank();
        assertThat(p.path("type").asText()).isEqualTo("file");
        assertThat(p.path("disableDeletion").asBoolean(false)).isTrue();
        assertThat(p.path("allowUiUpdates").asBoolean(true)).isFalse();
        assertThat(p.path("options").path("path").asText()).startsWith("/");
    }

    @Test
    void alertRulesAreCompleteAndQueryTheDatasourceByUid() {
        JsonNode doc = yaml("provisioning/alerting/chronoprice-alerts.yml");
        assertThat(doc.path("apiVersion").asInt()).isEqualTo(1);
        Set<String> uids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode g : doc.path("groups")) {
            assertThat(g.path("orgId").asInt()).isEqualTo(1);
            assertThat(g.path("name").asText()).isNotBlank();
            assertThat(g.path("folder").asText()).isNotBlank();
            assertThat(g.path("interval").asText()).matches("\\d+[smh]");
            for (JsonNode r : g.path("rules")) {
                assertThat(uids.add(r.path("uid").asText())).isTrue();
                assertThat(r.path("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
                titles.add(r.path("title").asText());
                assertThat(r.path("for").asText()).matches("\\d+[smh]");
                assertThat(r.path("noDataState").asText()).isIn("OK", "NoData", "Alerting", "KeepLast");
                assertThat(r.path("execErrState").asText()).isIn("OK", "Error", "Alerting", "KeepLast");
                Set<String> refIds = new HashSet<>();
                for (JsonNode q : r.path("data")) {
                    assertThat(refIds.add(q.path("refId").asText())).isTrue();
                    assertThat(q.path("model").path("refId").asText())
                            .isEqualTo(q.path("refId").asText());
                    assertThat(q.path("datasourceUid").asText()).isIn(DATASOURCE_UID, PROMETHEUS_UID, "__expr__");
                    assertThat(q.has("relativeTimeRange")).isTrue();
                    if (q.path("datasourceUid").asText().equals(PROMETHEUS_UID)) {
                        // One number per series at evaluation time, which the threshold compares.
                        assertThat(q.path("model").path("expr").asText()).isNotBlank();
                        assertThat(q.path("model").path("instant").asBoolean()).isTrue();
                    }
                    if (q.path("datasourceUid").asText().equals("__expr__")) {
                        assertThat(refIds)
                                .contains(q.path("model").path("expression").asText());
                    }
                }
                assertThat(refIds).contains(r.path("condition").asText());
            }
        }
        assertThat(uids)
                .containsExactlyInAnyOrder(
                        "chronoprice-mase-above-naive",
                        "chronoprice-symbol-stale",
                        "chronoprice-source-stalled",
                        "chronoprice-checkpoints-failing",
                        "chronoprice-job-restarts");
        assertThat(titles).anyMatch(t -> t.contains("1.05"));
    }

    /**
     * A backtest can run on the local stack's Flink cluster beside the live job, at full speed: its operators have
     * the live job's names and its symbols may be live ones. Every Flink metric the dashboards and alerts read is
     * therefore the live job's only (a backtest's job name holds its series' {@code exchange@label}), or a backtest
     * of BTCUSDT would hide a stalled live BTCUSDT source and show its own backpressure as the pipeline's.
     */
    @Test
    void everyFlinkMetricQueryReadsTheLiveJobsOnly() {
        Pattern flinkSelector = Pattern.compile("(flink_\\w+)(\\{[^}]*})?");
        List<String> checked = new ArrayList<>();
        for (String expr : rawPromQlQueries()) {
            Matcher m = flinkSelector.matcher(expr);
            while (m.find()) {
                assertThat(m.group(2))
                        .as(m.group(1) + " in " + expr)
                        .isNotNull()
                        .contains("job_name!~\".*@.*\"");
                checked.add(m.group(1));
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(18);
    }

    /** The PromQL of every Prometheus target of the dashboards and of every alert, as written. */
    private static List<String> rawPromQlQueries() {
        List<String> exprs = new ArrayList<>();
        for (Path file : OpsFiles.dashboards()) {
            exprs.addAll(prometheusTargets(OpsFiles.readJson(file)));
        }
        exprs.addAll(alertPromQlQueries());
        return exprs;
    }

    /** The PromQL of a dashboard's Prometheus targets, as written (template variables unexpanded). */
    private static List<String> prometheusTargets(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                if (t.path("datasource").path("uid").asText().equals(PROMETHEUS_UID)) {
                    exprs.add(t.path("expr").asText());
                }
            }
        }
        return exprs;
    }

    /** The PromQL of every alert rule (alerts have no template variables: it goes to Prometheus as written). */
    private static List<String> alertPromQlQueries() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode q : yaml("provisioning/alerting/chronoprice-alerts.yml").findValues("model")) {
            if (q.has("expr")) {
                exprs.add(q.path("expr").asText());
            }
        }
        return exprs;
    }

    /**
     * Every PromQL query of the dashboards and alerts, its variables expanded, parses: {@code promtool check rules}
     * checks them as recording rules without a server. (Their results are checked against a real Prometheus by
     * PrometheusQueriesSmokeCheck, in the local run's smoke test.)
     */
    @Test
    void everyPromQlQueryParses(@TempDir Path dir) throws Exception {
        List<String> exprs = new ArrayList<>();
        for (Path file : OpsFiles.dashboards()) {
            JsonNode d = OpsFiles.readJson(file);
            Map<String, GrafanaMacros.Variable> variables = new HashMap<>();
            for (JsonNode v : d.path("templating").path("list")) {
                boolean multi =
                        v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
                variables.put(
                        v.path("name").asText(),
                        new GrafanaMacros.Variable(multi ? List.of("BTCUSDT", "ETH.USD") : List.of("binance"), multi));
            }
            for (String expr : prometheusTargets(d)) {
                exprs.add(GrafanaMacros.expandPromQl(
                        expr, variables, Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofHours(6)));
            }
        }
        exprs.addAll(alertPromQlQueries());
        assertThat(exprs).hasSizeGreaterThan(20);

        List<Map<String, String>> rules = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            rules.add(Map.of("record", "chronoprice_check_" + i, "expr", exprs.get(i)));
        }
        Path file = dir.resolve("rules.json"); // JSON is YAML, which promtool reads
        OpsFiles.JSON.writeValue(
                file.toFile(), Map.of("groups", List.of(Map.of("name", "chronoprice-check", "rules", rules))));
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "rules", file.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool (Debian package prometheus) is needed: run scripts/install-test-deps.sh", e);
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor())
                .as(output + "\n" + String.join("\n", exprs))
                .isZero();
        assertThat(output).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    private static JsonNode yaml(String path) {
        Object doc = OpsFiles.readYaml(OpsFiles.grafana().resolve(path));
        assertThat(doc).isInstanceOf(Map.class);
        return OpsFiles.JSON.valueToTree(doc);
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add);
        }
        return all;
    }

    private static void collect(JsonNode node, String field, List<JsonNode> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals(field)) {
                    out.add(e.getValue());
                }
                collect(e.getValue(), field, out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, field, out));
        }
    }
}
