package io.chronoprice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.registry.ModelRegistry;
import io.chronoprice.job.registry.RegistryWatcher;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.OnnxModel;
import io.chronoprice.job.scoring.Predictor;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.serving.ServingReplay;
import io.chronoprice.replay.FaultConfig;
import io.chronoprice.replay.ReplayExchange;
import io.chronoprice.rowcheck.CheckResult.Rewrites;
import io.chronoprice.rowcheck.RowKey;
import io.chronoprice.rowcheck.StoredRows;
import io.chronoprice.rowcheck.StoredTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model versions swapped in a running job through the registry (MiniCluster with parallelism 2, the replay
 * exchange over HTTP, a real PostgreSQL): a version added while the job runs scores every later window beside the
 * champion, a corrupt one is rejected, a promotion disturbs nothing, the job never restarts, and a savepoint taken
 * with two models resumes with both, nothing lost or duplicated.
 */
class ModelHotSwapITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = JobTestBed.miniCluster();

    /** Both symbols are gap-free for the 300 minutes replayed from here. */
    private static final long FROM = JobTestBed.MAY_14_18H;

    private static final long TO = FROM + 299 * 60_000L;
    private static final ServingParams SERVING = ServingParams.DEFAULTS;
    private static final Duration POLL = Duration.ofMillis(300);

    @TempDir
    static Path dataDir;

    private static JobTestBed bed;
    private static ModelRegistry registry;

    @BeforeAll
    static void setUp() throws Exception {
        bed = new JobTestBed(dataDir, FROM, Map.of("BTCUSDT", TO, "ETHUSDT", TO));
        registry = new ModelRegistry(bed.writer());
    }

    @AfterAll
    static void tearDown() {
        bed.close();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        bed.emptyTables();
        bed.execute("TRUNCATE models, model_events CASCADE");
    }

    @Test
    void aVersionAddedWhileTheJobRunsScoresEveryLaterWindowAndACorruptOneIsRejected(@InjectClusterRESTAddress URI rest)
            throws Exception {
        add(ParityFixture.V2);
        JobClient client;
        try (ReplayExchange replay = bed.replay(600, FaultConfig.NONE)) {
            StreamExecutionEnvironment env = JobTestBed.environment(new Configuration());
            job(replay).build(env);
            client = env.executeAsync("hot swap");
            await().atMost(Duration.ofSeconds(60)).until(() -> bed.count("predictions") > 60);

            add(ParityFixture.V1);
            addCorrupt("lstm-1m-broken");
            await().atMost(Duration.ofSeconds(30)).until(() -> versionCount(ParityFixture.V1) > 20);
            registry.promote(ParityFixture.V1, "test", "promotion while the job runs");

            long perVersion = bed.totalCandles() - 2 * 59;
            await().atMost(Duration.ofSeconds(120))
                    .until(() ->
                            bed.count("candles") == bed.totalCandles() && versionCount(ParityFixture.V2) == perVersion);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> jobMetric(rest, client, "numRestarts") == 0
                            && operatorMetricSum(rest, client, "modelsRejected") >= 2);
            assertThat(jobMetric(rest, client, "numRestarts")).as("restarts").isZero();
            // The registry poll also keeps the accuracy prefix sums current, for both versions.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bed.query("SELECT count(DISTINCT model_version) FROM accuracy_cumulative")
                            .equals(List.of("2")));
            // And it gives the replayed month its partitions (V8): rows written before that waited in a gap partition,
            // then every row of the month is in the month's own partition.
            String month = DateTimeFormatter.ofPattern("yyyy_MM")
                    .format(Instant.ofEpochMilli(FROM).atOffset(ZoneOffset.UTC));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bed.query("SELECT DISTINCT tableoid::regclass::text FROM candles")
                                    .equals(List.of("candles_p" + month))
                            && bed.query("SELECT DISTINCT tableoid::regclass::text FROM predictions")
                                    .equals(List.of("predictions_p" + month)));
            client.cancel().get();
        }

        StoredRows stored = bed.stored();
        Map<RowKey, Map<String, Object>> reference = new HashMap<>();
        for (String symbol : bed.replayed.keySet()) {
            List<Candle> candles = bed.replayed.get(symbol);
            reference.putAll(expected(candles, ParityFixture.V2, 0));
            long firstV1 = stored.firstPrediction("binance", symbol, "1m", ParityFixture.V1)
                    .orElseThrow()
                    .toEpochMilli();
            int from = indexOf(candles, firstV1) - 60;
            assertThat(from).as("v1 was added while the job ran").isPositive();
            // From its first window on, v1 is scored for every window, starting from a fresh online state.
            reference.putAll(expected(candles, ParityFixture.V1, from));
        }
        // A row of the corrupt version would be extra: only v2 and v1 are expected.
        bed.assertStored(
                bed.expectation()
                        .modelVersions(ParityFixture.V2)
                        .lateVersions(ParityFixture.V1)
                        .reference(StoredTable.PREDICTIONS, reference)
                        .build(),
                stored,
                Rewrites.FORBIDDEN);
    }

    @Test
    void stopWithSavepointAndResumeWithTwoModelsLosesAndDuplicatesNothing(@TempDir Path savepoints) throws Exception {
        add(ParityFixture.V2);
        add(ParityFixture.V1);
        try (ReplayExchange replay = bed.replay(1000, FaultConfig.NONE)) {
            StreamExecutionEnvironment first = JobTestBed.environment(new Configuration());
            job(replay).build(first);
            JobClient client = first.executeAsync("before savepoint");
            await().atMost(Duration.ofSeconds(60)).until(() -> bed.count("candles") > 150);
            String savepoint = client.stopWithSavepoint(
                            false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            assertThat(bed.count("candles")).isLessThan(bed.totalCandles());

            Configuration restore = new Configuration();
            restore.setString("execution.state-recovery.path", savepoint);
            StreamExecutionEnvironment second = JobTestBed.environment(restore);
            job(replay).build(second);
            JobClient resumed = second.executeAsync("after savepoint");
            long perVersion = bed.totalCandles() - 2 * 59;
            await().atMost(Duration.ofSeconds(90)).until(() -> bed.count("predictions") >= 2 * perVersion);
            resumed.cancel().get();
        }

        Map<RowKey, Map<String, Object>> reference = new HashMap<>();
        for (List<Candle> candles : bed.replayed.values()) {
            for (String version : List.of(ParityFixture.V2, ParityFixture.V1)) {
                reference.putAll(expected(candles, version, 0));
            }
        }
        bed.assertStored(
                bed.expectation()
                        .modelVersions(ParityFixture.V2, ParityFixture.V1)
                        .reference(StoredTable.PREDICTIONS, reference)
                        .build(),
                Rewrites.FORBIDDEN);
    }

    private static ChronoPriceJob job(ReplayExchange replay) throws Exception {
        return bed.job(
                bed.source(replay),
                registry.snapshot("1m"),
                RegistryWatcher.source(bed.writer(), "1m", null, POLL),
                SERVING);
    }

    private static void add(String version) throws Exception {
        ModelArtifact artifact = ParityFixture.model(version);
        try (OnnxModel model = OnnxModel.load(artifact, "1m", 60)) {
            registry.add(artifact, model.metadata(), "test");
        }
    }

    /** A row a hand-edited registry could hold: half a model file, with the checksum of those bytes. */
    private static void addCorrupt(String version) throws Exception {
        byte[] bytes = ParityFixture.model(ParityFixture.V1).bytes();
        ModelArtifact half = new ModelArtifact(version, Arrays.copyOf(bytes, bytes.length / 2));
        bed.execute("INSERT INTO models (model_version, created_at, interval, window_size, feature_names, quantiles,"
                + " artifact_sha256, artifact, status) VALUES ('" + version
                + "', now(), '1m', 60, '{a}', '{0.1,0.5,0.9}',"
                + " '" + half.sha256() + "', decode('"
                + java.util.HexFormat.of().formatHex(half.bytes()) + "', 'hex'),"
                + " 'challenger')");
    }

    private static long versionCount(String version) throws Exception {
        return Long.parseLong(bed.query("SELECT count(*) FROM predictions WHERE model_version = '" + version + "'")
                .get(0));
    }

    /** What the job must store for {@code version} when it starts scoring at candle index {@code from}. */
    private static Map<RowKey, Map<String, Object>> expected(List<Candle> candles, String version, int from)
            throws Exception {
        try (Predictor predictor = new Predictor(
                OnnxModel.load(ParityFixture.model(version), "1m", 60),
                Clock.systemUTC(),
                JobTestBed.BATCHING.maxBatch())) {
            return JobTestBed.reference(ServingReplay.serve(candles.subList(from, candles.size()), predictor, SERVING));
        }
    }

    private static int indexOf(List<Candle> candles, long openTime) {
        for (int i = 0; i < candles.size(); i++) {
            if (candles.get(i).openTimeMs() == openTime) {
                return i;
            }
        }
        throw new AssertionError("no candle opens at " + openTime);
    }

    private static long jobMetric(URI rest, JobClient client, String metric) throws Exception {
        JsonNode values = get(rest, "/jobs/" + client.getJobID() + "/metrics?get=" + metric);
        return values.isEmpty() ? -1 : values.get(0).get("value").asLong();
    }

    /** An operator metric of the scoring vertex, summed over its subtasks; -1 until Flink has fetched it. */
    private static long operatorMetricSum(URI rest, JobClient client, String metric) throws Exception {
        String job = "/jobs/" + client.getJobID();
        String vertex = null;
        for (JsonNode v : get(rest, job).get("vertices")) {
            if (v.get("name").asText().contains("onnx-predict")) {
                vertex = v.get("id").asText();
            }
        }
        String path = job + "/vertices/" + vertex + "/subtasks/metrics";
        for (JsonNode m : get(rest, path)) {
            String id = m.get("id").asText();
            if (id.endsWith("." + metric) && !id.contains(".model.")) {
                JsonNode sum = get(rest, path + "?agg=sum&get=" + id);
                return sum.isEmpty() ? -1 : (long) sum.get(0).get("sum").asDouble();
            }
        }
        return -1;
    }

    private static JsonNode get(URI rest, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(rest.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
