package io.chronoprice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/ cannot run in the build (no Docker engine, no cluster), so it is checked statically: every YAML parses,
 * every image is pinned, each component is given the environment variables its code reads (and no others
 * of ours), and ports and jar paths match what the build produces. What the components read is taken from
 * their sources, so renaming a variable there fails this test.
 */
class DeployFilesTest {

    private static final Path ROOT = OpsFiles.repoRoot();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final Pattern ENV_NAME = Pattern.compile("\\b(CHRONOPRICE_[A-Z0-9_]+)\\b");

    @Test
    void everyYamlFileParsesAndEveryImageIsPinned() {
        List<Path> files = OpsFiles.list(DEPLOY, ".yml", ".yaml");
        assertThat(files).isNotEmpty();
        List<String> images = new ArrayList<>();
        for (Path f : files) {
            for (Object doc : OpsFiles.readYamlDocuments(f)) {
                collect(doc, "image", images);
            }
        }
        for (Path f : OpsFiles.list(DEPLOY, "Dockerfile")) {
            Matcher m = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(OpsFiles.read(f));
            while (m.find()) {
                images.add(m.group(1));
            }
        }
        assertThat(images).isNotEmpty();
        for (String image : images) {
            assertThat(image).as("image reference").doesNotContain("${");
            String nameAndTag = image.substring(image.lastIndexOf('/') + 1);
            assertThat(nameAndTag).as(image + " has a tag").contains(":");
            String tag = nameAndTag.substring(nameAndTag.indexOf(':') + 1);
            assertThat(tag).as(image + " is pinned").isNotIn("latest", "").matches(".*\\d+\\.\\d+.*");
        }
        assertThat(images)
                .contains(
                        "postgres:17.6",
                        "flink:2.2.1-scala_2.12-java17",
                        "grafana/grafana:12.2.0",
                        "prom/prometheus:v2.53.5");
    }

    @Test
    void flinkImageMatchesTheFlinkVersionTheJobIsBuiltWith() {
        String flinkVersion = tag(OpsFiles.read(ROOT.resolve("pom.xml")), "flink.version");
        for (Object image : imagesOf(compose())) {
            if (image.toString().startsWith("flink:")) {
                assertThat(image.toString()).startsWith("flink:" + flinkVersion + "-");
            }
        }
        Map<String, Object> flinkDeployment = k8s("FlinkDeployment").get(0);
        Map<String, Object> spec = map(flinkDeployment.get("spec"));
        String minor = flinkVersion.substring(0, flinkVersion.lastIndexOf('.')).replace('.', '_');
        assertThat(spec.get("flinkVersion")).isEqualTo("v" + minor);
        assertThat(OpsFiles.read(DEPLOY.resolve("flink-job/Dockerfile"))).contains("FROM flink:" + flinkVersion + "-");

        // The session cluster of deploy/cluster takes its versions from the root pom, its parent: none of its own.
        String clusterPom = OpsFiles.read(DEPLOY.resolve("cluster/pom.xml"));
        String parent = clusterPom.substring(clusterPom.indexOf("<parent>"), clusterPom.indexOf("</parent>"));
        assertThat(parent).contains("<artifactId>chronoprice-parent</artifactId>", "<relativePath>../../pom.xml<");
        String afterParent = clusterPom.substring(clusterPom.indexOf("</parent>"));
        assertThat(afterParent).doesNotContain("<properties>");
        assertThat(Pattern.compile("<version>(?!\\$\\{)").matcher(afterParent).find())
                .as("a literal <version> in deploy/cluster/pom.xml")
                .isFalse();
    }

    @Test
    void componentsGetExactlyTheEnvironmentVariablesTheyRead() {
        Set<String> job = new TreeSet<>(envNamesIn(ROOT.resolve("flink-job/src/main/java"), ".java"));
        job.addAll(envNamesIn(ROOT.resolve("db/src/main/java/io/chronoprice/db/DbSettings.java"), ".java"));
        Set<String> api = new TreeSet<>(envNamesIn(ROOT.resolve("metrics-api/src/main/resources"), ".yml"));
        api.addAll(envNamesIn(ROOT.resolve("db/src/main/java/io/chronoprice/db/DbSettings.java"), ".java"));
        // Grafana expands only $VAR / ${VAR} in provisioning files (comments may name other variables).
        Set<String> grafana = new TreeSet<>();
        for (Path f : OpsFiles.list(ROOT.resolve("grafana/provisioning"), ".yml")) {
            Matcher m = Pattern.compile("\\$\\{?(CHRONOPRICE_[A-Z0-9_]+)").matcher(OpsFiles.read(f));
            while (m.find()) {
                grafana.add(m.group(1));
            }
        }
        Set<String> dbInit = new TreeSet<>(envNamesIn(DEPLOY.resolve("postgres/init-roles.sh"), ".sh"));
        assertThat(job).contains("CHRONOPRICE_DB_URL", "CHRONOPRICE_DB_PASSWORD", "CHRONOPRICE_CHECKPOINT_DIR");
        assertThat(api).contains("CHRONOPRICE_DB_READER_USER", "CHRONOPRICE_API_PORT");
        assertThat(grafana).contains("CHRONOPRICE_DB_READER_PASSWORD");

        Map<String, Object> services = map(compose().get("services"));
        Set<String> writer = Set.of("CHRONOPRICE_DB_URL", "CHRONOPRICE_DB_USER", "CHRONOPRICE_DB_PASSWORD");
        Set<String> reader =
                Set.of("CHRONOPRICE_DB_URL", "CHRONOPRICE_DB_READER_USER", "CHRONOPRICE_DB_READER_PASSWORD");
        checkEnv("compose jobmanager", composeEnv(services, "jobmanager"), job, writer);
        checkEnv("compose taskmanager", composeEnv(services, "taskmanager"), job, writer);
        checkEnv("compose metrics-api", composeEnv(services, "metrics-api"), api, reader);
        checkEnv("compose grafana", composeEnv(services, "grafana"), grafana, grafana);
        checkEnv("compose db-init", composeEnv(services, "db-init"), dbInit, dbInit);

        checkEnv("k8s FlinkDeployment", k8sEnv(k8s("FlinkDeployment").get(0)), job, writer);
        checkEnv("k8s metrics-api", k8sEnv(k8sNamed("Deployment", "metrics-api")), api, reader);
        checkEnv("k8s grafana", k8sEnv(k8sNamed("Deployment", "grafana")), grafana, grafana);
        checkEnv("k8s db-init", k8sEnv(k8sNamed("Job", "chronoprice-db-init")), dbInit, dbInit);

        // The example .env sets what compose demands with ${VAR:?...}.
        String env = OpsFiles.read(DEPLOY.resolve(".env.example"));
        Matcher required =
                Pattern.compile("\\$\\{(\\w+):\\?").matcher(OpsFiles.read(DEPLOY.resolve("docker-compose.yml")));
        while (required.find()) {
            assertThat(env)
                    .as(".env.example sets " + required.group(1))
                    .containsPattern("(?m)^" + required.group(1) + "=");
        }
    }

    @Test
    void portsMatchWhatTheComponentsListenOn() {
        Map<String, Object> services = map(compose().get("services"));
        assertThat(hostPorts(services, "metrics-api")).contains("8080:8080");
        assertThat(hostPorts(services, "jobmanager")).contains("127.0.0.1:8081:8081");
        assertThat(hostPorts(services, "grafana")).contains("3000:3000");
        assertThat(hostPorts(services, "postgres")).contains("127.0.0.1:5432:5432");
        assertThat(hostPorts(services, "replay-exchange")).contains("127.0.0.1:8090:8090");
        assertThat(hostPorts(services, "prometheus")).contains("127.0.0.1:9090:9090");
        assertThat(map(services.get("replay-exchange")).get("profiles")).isEqualTo(List.of("replay"));
        assertThat(String.join(" ", strings(map(services.get("replay-exchange")).get("command"))))
                .contains("--port 8090");
        // The API's port default in its own configuration, and the Flink UI's default, are these.
        assertThat(OpsFiles.read(ROOT.resolve("metrics-api/src/main/resources/application.yml")))
                .contains("${CHRONOPRICE_API_PORT:8080}");
        assertThat(servicePort("metrics-api")).isEqualTo(8080);
        assertThat(servicePort("grafana")).isEqualTo(3000);
        assertThat(servicePort("postgres")).isEqualTo(5432);
        assertThat(servicePort("prometheus")).isEqualTo(9090);
        assertThat(OpsFiles.read(DEPLOY.resolve("metrics-api/Dockerfile"))).contains("EXPOSE 8080");
    }

    @Test
    void jarPathsAreTheOnesTheBuildProduces() {
        String version = tag(OpsFiles.read(ROOT.resolve("pom.xml")), "version");
        String flinkPom = OpsFiles.read(ROOT.resolve("flink-job/pom.xml"));
        String jobJar = "flink-job/target/" + artifactId(flinkPom) + "-" + version + "-"
                + tag(flinkPom, "shadedClassifierName") + ".jar";
        String apiPom = OpsFiles.read(ROOT.resolve("metrics-api/pom.xml"));
        String apiJar = "metrics-api/target/" + artifactId(apiPom) + "-"
                + tag(apiPom.substring(apiPom.indexOf("</parent>")), "version") + ".jar";
        String replayJar = "replay-exchange/target/"
                + artifactId(OpsFiles.read(ROOT.resolve("replay-exchange/pom.xml"))) + "-" + version + ".jar";
        assertThat(jobJar).isEqualTo("flink-job/target/chronoprice-flink-job-0.1.0-SNAPSHOT-job.jar");

        Map<String, Object> services = map(compose().get("services"));
        assertThat(strings(map(services.get("jobmanager")).get("volumes")))
                .contains("../" + jobJar + ":/opt/flink/usrlib/chronoprice-flink-job.jar:ro");
        assertThat(strings(map(services.get("replay-exchange")).get("volumes")))
                .contains("../" + replayJar + ":/app/replay-exchange.jar:ro", "../replay-exchange/demo-data:/data:ro");
        assertThat(ROOT.resolve("replay-exchange/demo-data")).isDirectory();
        assertThat(OpsFiles.read(DEPLOY.resolve("metrics-api/Dockerfile")))
                .contains("COPY --chown=chronoprice:chronoprice " + apiJar + " ");
        assertThat(OpsFiles.read(DEPLOY.resolve("metrics-api/Dockerfile.dockerignore")))
                .contains("!" + apiJar);
        assertThat(OpsFiles.read(DEPLOY.resolve("flink-job/Dockerfile")))
                .contains(jobJar + " /opt/flink/usrlib/chronoprice-flink-job.jar");
        assertThat(OpsFiles.read(DEPLOY.resolve("flink-job/Dockerfile.dockerignore")))
                .contains("!" + jobJar);
        Map<String, Object> job =
                map(map(k8s("FlinkDeployment").get(0).get("spec")).get("job"));
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/chronoprice-flink-job.jar");
        assertThat(job.get("entryClass")).isEqualTo("io.chronoprice.job.JobMain");
        assertThat(map(services.get("jobmanager")).get("command").toString()).contains("io.chronoprice.job.JobMain");
    }

    @Test
    void grafanaMountsMatchTheProvisioningPaths() {
        String dashboardsPath = OpsFiles.JSON
                .valueToTree(OpsFiles.readYaml(ROOT.resolve("grafana/provisioning/dashboards/chronoprice.yml")))
                .path("providers")
                .get(0)
                .path("options")
                .path("path")
                .asText();
        Map<String, Object> grafana = map(map(compose().get("services")).get("grafana"));
        assertThat(strings(grafana.get("volumes")))
                .contains(
                        "../grafana/provisioning:/etc/grafana/provisioning:ro",
                        "../grafana/dashboards:" + dashboardsPath + ":ro");
        assertThat(k8sNamed("Deployment", "grafana").toString()).contains("mountPath=" + dashboardsPath);
        // The kustomize ConfigMaps list every dashboard file, so a new dashboard cannot be forgotten there.
        String kustomization = OpsFiles.read(ROOT.resolve("grafana/kustomization.yaml"));
        for (Path d : OpsFiles.dashboards()) {
            assertThat(kustomization).contains("dashboards/" + d.getFileName());
        }
    }

    /**
     * One scrape configuration: compose and Kubernetes share deploy/prometheus/prometheus.yml, the local run has the
     * same jobs on loopback, and every Flink process runs the reporter on the port Prometheus scrapes, with the same
     * settings everywhere (the local run's in JobMain, the session cluster's in flink-cluster.sh).
     */
    @Test
    void prometheusScrapesTheFlinkReportersAndTheApiTheSameWayEverywhere() {
        JsonNode deploy = yamlTree(DEPLOY.resolve("prometheus/prometheus.yml"));
        JsonNode local = yamlTree(DEPLOY.resolve("local/prometheus.yml"));
        assertThat(local.path("global")).isEqualTo(deploy.path("global"));
        assertThat(jobs(local).keySet())
                .containsExactlyElementsOf(jobs(deploy).keySet())
                .contains("flink", "metrics-api");
        jobs(deploy).forEach((name, job) -> assertThat(jobs(local).get(name).path("metrics_path"))
                .as(name + " metrics_path")
                .isEqualTo(job.path("metrics_path")));

        // Flink: every JobManager and TaskManager by name, on the reporter's port.
        JsonNode flinkSd = jobs(deploy).get("flink").path("dns_sd_configs").get(0);
        assertThat(flinkSd.path("names")).containsExactlyInAnyOrder(text("jobmanager"), text("taskmanager"));
        String port = flinkSd.path("port").asText();
        Map<String, String> reporter = Map.of(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                "metrics.reporter.prom.port",
                port,
                "metrics.reporter.prom.filterLabelValueCharacters",
                "false",
                "metrics.reporter.prom.filter.excludes",
                "*:*:meter",
                "metrics.reporter.prom.scope.variables.excludes",
                "task_id;operator_id;task_attempt_id");
        Map<String, Object> services = map(compose().get("services"));
        for (String process : List.of("jobmanager", "taskmanager")) {
            assertThat(services).containsKey(process);
            String properties = map(map(services.get(process)).get("environment"))
                    .get("FLINK_PROPERTIES")
                    .toString();
            // Flink reads FLINK_PROPERTIES as YAML, where a value that starts with * must be quoted.
            reporter.forEach((key, value) ->
                    assertThat(properties).containsAnyOf(key + ": " + value, key + ": \"" + value + "\""));
        }
        Map<String, Object> flinkDeployment = k8s("FlinkDeployment").get(0);
        Map<String, Object> flinkConfiguration =
                map(map(flinkDeployment.get("spec")).get("flinkConfiguration"));
        reporter.forEach((key, value) ->
                assertThat(String.valueOf(flinkConfiguration.get(key))).as(key).isEqualTo(value));
        String clusterId = map(flinkDeployment.get("metadata")).get("name").toString();
        for (String component : List.of("jobmanager", "taskmanager")) {
            Map<String, Object> spec = map(k8sNamed("Service", component).get("spec"));
            assertThat(spec.get("clusterIP")).as("headless " + component).isEqualTo("None");
            // The labels the Flink Kubernetes operator puts on the pods it runs.
            assertThat(map(spec.get("selector"))).isEqualTo(Map.of("app", clusterId, "component", component));
            assertThat(map(((List<?>) spec.get("ports")).get(0)).get("port").toString())
                    .isEqualTo(port);
        }
        String cluster = OpsFiles.read(DEPLOY.resolve("cluster/flink-cluster.sh"));
        assertThat(cluster)
                .contains(
                        "metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                        "metrics.reporter.prom.filterLabelValueCharacters: false",
                        "metrics.reporter.prom.filter.excludes: \"*:*:meter\"",
                        "metrics.reporter.prom.scope.variables.excludes: task_id;operator_id;task_attempt_id",
                        "-D metrics.reporter.prom.port=");
        assertThat(OpsFiles.read(DEPLOY.resolve("cluster/pom.xml")))
                .contains("<artifactId>flink-metrics-prometheus</artifactId>");
        String jobMain = OpsFiles.read(ROOT.resolve("flink-job/src/main/java/io/chronoprice/job/JobMain.java"));
        reporter.keySet().forEach(key -> assertThat(jobMain).contains('"' + key + '"'));
        assertThat(jobMain).contains("\"org.apache.flink.metrics.prometheus.PrometheusReporterFactory\"");

        // metrics-api: its Prometheus endpoint on its port.
        assertThat(jobs(deploy).get("metrics-api").path("static_configs").get(0).path("targets"))
                .containsExactly(text("metrics-api:8080"));
        assertThat(jobs(deploy).get("metrics-api").path("metrics_path").asText())
                .isEqualTo("/prometheus");
        assertThat(OpsFiles.read(ROOT.resolve("metrics-api/src/main/resources/application.yml")))
                .containsPattern("(?m)^  prometheus:\\n    enabled: true\\n    sensitive: false");

        // The local run fills in its own ports.
        assertThat(OpsFiles.read(DEPLOY.resolve("local/prometheus.yml")))
                .contains("127.0.0.1:@FLINK_METRICS_PORT@", "127.0.0.1:@API_PORT@");
        assertThat(OpsFiles.read(ROOT.resolve("chronoprice")))
                .contains(
                        "s/@FLINK_METRICS_PORT@/$metrics_port/",
                        "s/@API_PORT@/$api_port/",
                        "deploy/local/prometheus.yml");

        // The one file reaches both deployments, and Grafana reaches Prometheus.
        Map<String, Object> prometheus = map(services.get("prometheus"));
        assertThat(strings(prometheus.get("volumes")))
                .contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        assertThat(OpsFiles.read(DEPLOY.resolve("prometheus/kustomization.yaml")))
                .contains("- prometheus.yml");
        assertThat(OpsFiles.read(DEPLOY.resolve("k8s/base/kustomization.yaml"))).contains("- ../../prometheus");
        Map<String, Object> k8sPrometheus = k8sNamed("Deployment", "prometheus");
        assertThat(k8sPrometheus.toString()).contains("mountPath=/etc/prometheus", "name=prometheus-config");
        assertThat(map(map(services.get("grafana")).get("environment")).get("CHRONOPRICE_GRAFANA_PROMETHEUS_URL"))
                .isEqualTo("http://prometheus:9090");
        assertThat(k8sNamed("Deployment", "grafana").toString())
                .contains("name=CHRONOPRICE_GRAFANA_PROMETHEUS_URL, value=http://prometheus:9090");
    }

    @Test
    void composeMemoryLimitsFitTwoGibibytes() {
        Map<String, Object> services = map(compose().get("services"));
        long total = 0;
        for (Map.Entry<String, Object> s : services.entrySet()) {
            Map<String, Object> svc = map(s.getValue());
            assertThat(svc).as(s.getKey() + " has a memory limit").containsKey("mem_limit");
            boolean oneShot = "no".equals(svc.get("restart"));
            if (!oneShot) {
                total += mebibytes(svc.get("mem_limit").toString());
            }
        }
        assertThat(total)
                .as("long-running services' memory limits, replay included (MiB)")
                .isLessThanOrEqualTo(2048);
        // Flink's process sizes equal their container limits.
        assertThat(map(map(services.get("jobmanager")).get("environment"))
                        .get("FLINK_PROPERTIES")
                        .toString())
                .contains("jobmanager.memory.process.size: "
                        + map(services.get("jobmanager")).get("mem_limit"));
        assertThat(map(map(services.get("taskmanager")).get("environment"))
                        .get("FLINK_PROPERTIES")
                        .toString())
                .contains("taskmanager.memory.process.size: "
                        + map(services.get("taskmanager")).get("mem_limit"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static JsonNode yamlTree(Path file) {
        return OpsFiles.JSON.valueToTree(OpsFiles.readYaml(file));
    }

    /** A Prometheus configuration's scrape jobs by name, in file order. */
    private static Map<String, JsonNode> jobs(JsonNode config) {
        Map<String, JsonNode> jobs = new LinkedHashMap<>();
        config.path("scrape_configs").forEach(j -> jobs.put(j.path("job_name").asText(), j));
        return jobs;
    }

    private static JsonNode text(String text) {
        return OpsFiles.JSON.getNodeFactory().textNode(text);
    }

    private static void checkEnv(String what, Set<String> set, Set<String> reads, Set<String> required) {
        Set<String> ours = new TreeSet<>(
                set.stream().filter(n -> n.startsWith("CHRONOPRICE_")).toList());
        assertThat(reads)
                .as(what + ": every CHRONOPRICE_ variable set is one the component reads")
                .containsAll(ours);
        assertThat(ours).as(what + ": the variables it needs are set").containsAll(required);
    }

    private static Set<String> envNamesIn(Path path, String suffix) {
        Set<String> names = new TreeSet<>();
        List<Path> files = Files.isDirectory(path) ? OpsFiles.list(path, suffix) : List.of(path);
        for (Path f : files) {
            Matcher m = ENV_NAME.matcher(OpsFiles.read(f));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Map<String, Object> compose() {
        return map(OpsFiles.readYaml(DEPLOY.resolve("docker-compose.yml")));
    }

    private static List<Object> imagesOf(Map<String, Object> compose) {
        List<String> images = new ArrayList<>();
        collect(compose, "image", images);
        return new ArrayList<>(images);
    }

    private static Set<String> composeEnv(Map<String, Object> services, String name) {
        Object env = map(services.get(name)).get("environment");
        assertThat(env).as(name + " environment").isInstanceOf(Map.class);
        return new TreeSet<>(map(env).keySet());
    }

    private static List<Map<String, Object>> k8sDocuments() {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Path f : OpsFiles.list(DEPLOY.resolve("k8s"), ".yaml", ".yml")) {
            for (Object d : OpsFiles.readYamlDocuments(f)) {
                docs.add(map(d));
            }
        }
        return docs;
    }

    private static List<Map<String, Object>> k8s(String kind) {
        List<Map<String, Object>> found =
                k8sDocuments().stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as(kind + " in deploy/k8s").isNotEmpty();
        return found;
    }

    private static Map<String, Object> k8sNamed(String kind, String name) {
        return k8s(kind).stream()
                .filter(d -> name.equals(map(d.get("metadata")).get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + kind + " " + name + " in deploy/k8s"));
    }

    /** Names of every env entry of every container in the resource. */
    private static Set<String> k8sEnv(Map<String, Object> resource) {
        List<Object> envLists = new ArrayList<>();
        collectObjects(resource, "env", envLists);
        Set<String> names = new TreeSet<>();
        for (Object list : envLists) {
            for (Object e : (List<?>) list) {
                names.add(map(e).get("name").toString());
            }
        }
        return names;
    }

    private static int servicePort(String name) {
        Map<String, Object> spec = map(k8sNamed("Service", name).get("spec"));
        return (Integer) map(((List<?>) spec.get("ports")).get(0)).get("port");
    }

    private static List<String> hostPorts(Map<String, Object> services, String name) {
        return strings(map(services.get(name)).get("ports"));
    }

    private static long mebibytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([mg])").matcher(size.toLowerCase());
        assertThat(m.matches()).as("memory size " + size).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        assertThat(m.find()).as("<" + name + ">").isTrue();
        return m.group(1).trim();
    }

    /** The module's own artifactId, the first one after its parent block. */
    private static String artifactId(String pom) {
        int parentEnd = pom.indexOf("</parent>");
        return tag(parentEnd < 0 ? pom : pom.substring(parentEnd), "artifactId");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return o instanceof LinkedHashMap ? (Map<String, Object>) o : new HashMap<>((Map<String, Object>) o);
    }

    private static List<String> strings(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return ((List<?>) o).stream().map(Object::toString).toList();
    }

    private static void collect(Object node, String key, List<String> out) {
        List<Object> found = new ArrayList<>();
        collectObjects(node, key, found);
        found.stream().filter(v -> v instanceof String).map(Object::toString).forEach(out::add);
    }

    private static void collectObjects(Object node, String key, List<Object> out) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (key.equals(e.getKey())) {
                    out.add(e.getValue());
                }
                collectObjects(e.getValue(), key, out);
            }
        } else if (node instanceof List<?> l) {
            l.forEach(n -> collectObjects(n, key, out));
        }
    }
}
