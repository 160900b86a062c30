package io.chronoprice.api.models;

import io.chronoprice.api.sql.Db;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads the model registry ({@code models}, a handful of rows). */
@Singleton
public final class ModelRepository {

    private static final String ALL = """
            SELECT model_version, created_at, interval, window_size, feature_names, quantiles,
                   training_from, training_to, eval_metrics::text AS eval_metrics, artifact_sha256, registered_at
            FROM models
            ORDER BY created_at DESC, model_version
            """;

    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    private final Db db;
    private final JsonMapper json;

    public ModelRepository(Db db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public List<ModelInfo> all() {
        return db.list(
                ALL,
                ps -> {},
                rs -> new ModelInfo(
                        rs.getString("model_version"),
                        Db.instant(rs, "created_at"),
                        rs.getString("interval"),
                        rs.getInt("window_size"),
                        Arrays.asList((String[]) array(rs, "feature_names")),
                        Arrays.asList((Double[]) array(rs, "quantiles")),
                        Db.instant(rs, "training_from"),
                        Db.instant(rs, "training_to"),
                        parseObject(rs.getString("eval_metrics")),
                        rs.getString("artifact_sha256"),
                        Db.instant(rs, "registered_at")));
    }

    private static Object array(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        try {
            return array.getArray();
        } finally {
            array.free();
        }
    }

    private Map<String, Object> parseObject(String text) {
        try {
            return json.readValue(text, JSON_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("models.eval_metrics is not a JSON object", e);
        }
    }
}
