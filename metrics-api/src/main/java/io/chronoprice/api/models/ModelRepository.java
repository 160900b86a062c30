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
import java.util.Optional;

/**
 * Reads the model registry ({@code models}, a handful of rows, and its lifecycle log {@code model_events}). An
 * abstract repository because two columns need the application's JSON mapper: {@code eval_metrics} and the latest
 * event's {@code detail} are read as text and parsed into the free-form maps they were written as.
 *
 * <p>Nothing here is cached: the champion is read on every request that needs it, so a promotion (one transaction
 * in the registry) changes what the API serves from the next request on.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class ModelRepository implements GenericRepository<ModelRepository.Row, Void> {

    /**
     * Every version with the size of its artifact (length() reads the stored size, the bytes never leave the
     * database) and its newest lifecycle event (the {@code (model_version, at)} index, newest first).
     */
    static final String ALL = """
            SELECT m.model_version, m.status, m.status_changed_at, m.created_at, m.interval, m.window_size,
                   m.feature_names, m.quantiles, m.training_from, m.training_to,
                   CAST(m.eval_metrics AS text) AS eval_metrics, m.artifact_sha256,
                   length(m.artifact) AS artifact_bytes, m.registered_at,
                   e.event AS event, e.actor AS event_actor, e.at AS event_at,
                   e.detail ->> 'reason' AS event_reason, CAST(e.detail AS text) AS event_detail
            FROM models m
            LEFT JOIN LATERAL (
                SELECT event, actor, at, detail FROM model_events
                WHERE model_version = m.model_version
                ORDER BY at DESC, id DESC
                LIMIT 1) e ON true
            ORDER BY m.created_at DESC, m.model_version
            """;

    /** The champion of an interval: the unique partial index on (interval) WHERE status = 'champion' answers it. */
    public static final String CHAMPION =
            "SELECT model_version FROM models WHERE interval = :interval AND status = 'champion'";

    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    /** A row of the registry table with its latest event, as {@link #ALL} reads it (columns by name). */
    @MappedEntity("models")
    public record Row(
            String modelVersion,
            String status,
            Instant statusChangedAt,
            Instant createdAt,
            String interval,
            int windowSize,
            String[] featureNames,
            Double[] quantiles,
            @Nullable Instant trainingFrom,
            @Nullable Instant trainingTo,
            String evalMetrics,
            String artifactSha256,
            @Nullable Integer artifactBytes,
            Instant registeredAt,
            @Nullable String event,
            @Nullable String eventActor,
            @Nullable Instant eventAt,
            @Nullable String eventReason,
            @Nullable String eventDetail) {}

    private final JsonMapper json;

    protected ModelRepository(JsonMapper json) {
        this.json = json;
    }

    @Query(value = ALL, nativeQuery = true)
    protected abstract List<Row> rows();

    /** The version whose forecast is served for {@code interval} now; empty when the interval has no champion. */
    @Query(value = CHAMPION, nativeQuery = true)
    public abstract Optional<String> champion(String interval);

    public List<ModelInfo> all() {
        return rows().stream()
                .map(row -> new ModelInfo(
                        row.modelVersion(),
                        row.status(),
                        ModelInfo.CHAMPION.equals(row.status()),
                        row.statusChangedAt(),
                        row.createdAt(),
                        row.interval(),
                        row.windowSize(),
                        Arrays.asList(row.featureNames()),
                        Arrays.asList(row.quantiles()),
                        row.trainingFrom(),
                        row.trainingTo(),
                        parseObject(row.evalMetrics(), "models.eval_metrics"),
                        row.artifactSha256(),
                        row.artifactBytes(),
                        row.registeredAt(),
                        row.event() == null
                                ? null
                                : new ModelEvent(
                                        row.event(),
                                        row.eventActor(),
                                        row.eventAt(),
                                        row.eventReason(),
                                        parseObject(row.eventDetail(), "model_events.detail"))))
                .toList();
    }

    private Map<String, Object> parseObject(String text, String column) {
        try {
            return json.readValue(text, JSON_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException(column + " is not a JSON object", e);
        }
    }
}
