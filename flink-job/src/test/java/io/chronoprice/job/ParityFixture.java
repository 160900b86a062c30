package io.chronoprice.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.registry.ModelStatus;
import io.chronoprice.job.registry.RegisteredModel;
import io.chronoprice.job.registry.RegistrySnapshot;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.window.CandleWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A train/serve parity fixture written by {@code models/make_fixtures.py}: real candle windows with the
 * features, window scale and model outputs that training computed for them.
 */
public record ParityFixture(
        String modelVersion, String featureSpecVersion, int windowSize, List<String> featureNames, List<Case> cases) {

    /** The models folder; tests run in the module folder, the benchmarks from the repository root. */
    public static final Path MODELS_DIR = Path.of(System.getProperty("chronoprice.models", "../models"));

    public static final String V1 = "lstm-1m-v1";
    public static final String V2 = "lstm-1m-v2";
    public static final String V3 = "lstm-1m-v3";

    /**
     * One window: its candles, training's features [N][F], its volatility scale (1 for models that predict
     * log-returns) and the model's outputs (q0.1, q0.5, q0.9) in the model's units.
     */
    public record Case(
            String symbol,
            CandleWindow window,
            double[][] features,
            double scale,
            double rollingSigma,
            double ewmaSigma,
            double[] outputs) {}

    public static ParityFixture load(String modelVersion) {
        try {
            JsonNode root = new ObjectMapper()
                    .readTree(MODELS_DIR
                            .resolve("fixtures/parity-" + modelVersion + ".json")
                            .toFile());
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("windows")) {
                String symbol = c.get("symbol").asText();
                String interval = c.get("interval").asText();
                List<Candle> candles = new ArrayList<>();
                for (JsonNode row : c.get("candles")) {
                    candles.add(new Candle(
                            "binance",
                            symbol,
                            interval,
                            row.get(0).asLong(),
                            row.get(1).asDouble(),
                            row.get(2).asDouble(),
                            row.get(3).asDouble(),
                            row.get(4).asDouble(),
                            row.get(5).asDouble(),
                            0));
                }
                cases.add(new Case(
                        symbol,
                        new CandleWindow(candles.toArray(new Candle[0])),
                        matrix(c.get("features")),
                        c.has("scale") ? c.get("scale").asDouble() : 1.0,
                        c.has("rolling_sigma") ? c.get("rolling_sigma").asDouble() : Double.NaN,
                        c.has("ewma_sigma") ? c.get("ewma_sigma").asDouble() : Double.NaN,
                        vector(c.get("outputs"))));
            }
            List<String> featureNames = new ArrayList<>();
            root.get("feature_names").forEach(n -> featureNames.add(n.asText()));
            return new ParityFixture(
                    root.get("model_version").asText(),
                    root.get("feature_spec_version").asText(),
                    root.get("window_size").asInt(),
                    featureNames,
                    cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelArtifact model(String modelVersion) {
        return ModelArtifact.fromFile(modelPath(modelVersion));
    }

    /** A registry holding the given versions, the first as champion, the others as challengers. */
    public static RegistrySnapshot snapshot(String champion, String... challengers) {
        List<RegisteredModel> models = new ArrayList<>();
        models.add(registered(champion, ModelStatus.CHAMPION));
        for (String version : challengers) {
            models.add(registered(version, ModelStatus.CHALLENGER));
        }
        return new RegistrySnapshot(models);
    }

    public static RegisteredModel registered(String version, ModelStatus status) {
        ModelArtifact artifact = model(version);
        return new RegisteredModel(version, status, artifact.sha256(), artifact.bytes());
    }

    public static Path modelPath(String modelVersion) {
        return MODELS_DIR.resolve(modelVersion + ".onnx");
    }

    private static double[][] matrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(node.get(i));
        }
        return m;
    }

    private static double[] vector(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }
}
