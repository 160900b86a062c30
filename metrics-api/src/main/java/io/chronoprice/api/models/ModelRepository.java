package io.chronoprice.api.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the model registry ({@code models}, a handful of rows). An abstract repository because one column needs
 * the application's JSON mapper: {@code eval_metrics} is read as text and parsed into the free-form map the
 * training run recorded.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class ModelRepository implements GenericRepository<ModelRepository.Row, Void> {

    static final String ALL = """
            SELECT model_version, created_at, interval, window_size, feature_names, quantiles,
                   training_from, training_to, CAST(eval_metrics AS text) AS eval_metrics, artifact_sha256,
                   registered_at
            FROM models
            ORDER BY created_at DESC, model_version
            """;

    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    /** A row of the registry table, as {@link #ALL} reads it (columns by name). */
    @MappedEntity("models")
    public record Row(
            String modelVersion,
            Instant createdAt,
            String interval,
            int windowSize,
            String[] featureNames,
            Double[] quantiles,
            @Nullable Instant trainingFrom,
            @Nullable Instant trainingTo,
            String evalMetrics,
            String artifactSha256,
            Instant registeredAt) {}

    private final JsonMapper json;

    protected ModelRepository(JsonMapper json) {
        this.json = json;
    }

    @Query(value = ALL, nativeQuery = true)
    protected abstract List<Row> rows();

    public List<ModelInfo> all() {
        return rows().stream()
                .map(row -> new ModelInfo(
                        row.modelVersion(),
                        row.createdAt(),
                        row.interval(),
                        row.windowSize(),
                        Arrays.asList(row.featureNames()),
                        Arrays.asList(row.quantiles()),
                        row.trainingFrom(),
                        row.trainingTo(),
                        parseObject(row.evalMetrics()),
                        row.artifactSha256(),
                        row.registeredAt()))
                .toList();
    }

    private Map<String, Object> parseObject(String text) {
        try {
            return json.readValue(text, JSON_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("models.eval_metrics is not a JSON object", e);
        }
    }
}
