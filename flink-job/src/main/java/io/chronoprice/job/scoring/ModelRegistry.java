package io.chronoprice.job.scoring;

import io.chronoprice.db.DbSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Records the model a job runs with in the {@code models} table, so that every prediction's
 * {@code model_version} leads to its window, features, training range, offline evaluation and checksum.
 */
public final class ModelRegistry {

    static final String UPSERT = """
            INSERT INTO models (model_version, created_at, interval, window_size, feature_names, quantiles,
                                training_from, training_to, eval_metrics, artifact_sha256)
            VALUES (?, coalesce(nullif(?, '')::timestamptz, now()), ?, ?, ?, ?,
                    nullif(split_part(?, '/', 1), '')::timestamptz, nullif(split_part(?, '/', 2), '')::timestamptz,
                    ?::jsonb, ?)
            ON CONFLICT (model_version) DO UPDATE SET eval_metrics = EXCLUDED.eval_metrics,
                                                      artifact_sha256 = EXCLUDED.artifact_sha256
            """;

    private ModelRegistry() {}

    public static void register(DbSettings db, ModelArtifact artifact, ModelMetadata m) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, m.version());
            ps.setString(2, m.createdAt());
            ps.setString(3, m.interval());
            ps.setInt(4, m.windowSize());
            ps.setArray(5, c.createArrayOf("text", m.featureNames().toArray()));
            ps.setArray(
                    6,
                    c.createArrayOf(
                            "float8", Arrays.stream(m.quantiles()).boxed().toArray()));
            ps.setString(7, m.trainingDataRange());
            ps.setString(8, m.trainingDataRange());
            ps.setString(9, m.evalMetricsJson());
            ps.setString(10, artifact.sha256());
            ps.executeUpdate();
        }
    }
}
