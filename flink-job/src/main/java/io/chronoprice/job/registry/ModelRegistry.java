package io.chronoprice.job.registry;

import io.chronoprice.db.DbSettings;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.ModelMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code models} table as a registry of versions with a lifecycle (challenger, champion, retired), each row
 * holding the artifact's bytes and sha256 so that the running job can load any version without a shared file
 * system. Every status change is one transaction and leaves a row in {@code model_events}.
 */
public final class ModelRegistry {

    /** A version as {@code model list} shows it. */
    public record Entry(
            String version,
            String interval,
            ModelStatus status,
            String sha256,
            int artifactBytes,
            Instant registeredAt,
            Instant statusChangedAt) {}

    private static final String INSERT = """
            INSERT INTO models (model_version, created_at, interval, window_size, feature_names, quantiles,
                                training_from, training_to, eval_metrics, artifact_sha256, artifact, status)
            VALUES (?, coalesce(nullif(?, '')::timestamptz, now()), ?, ?, ?, ?,
                    nullif(split_part(?, '/', 1), '')::timestamptz, nullif(split_part(?, '/', 2), '')::timestamptz,
                    ?::jsonb, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM models WHERE interval = ? AND status = 'champion')
                                         THEN 'challenger' ELSE 'champion' END)
            ON CONFLICT (model_version) DO NOTHING
            """;

    private final DbSettings db;

    public ModelRegistry(DbSettings db) {
        this.db = db;
    }

    /**
     * Adds a checked artifact as a challenger (as the champion when its interval has none yet). Adding a version
     * again with the same bytes is a no-op that fills in bytes a row registered before the registry kept them;
     * with other bytes it fails: a version names one artifact forever.
     *
     * @return the version's status after the call
     */
    public ModelStatus add(ModelArtifact artifact, ModelMetadata m, String actor) throws SQLException {
        String sha256 = artifact.sha256();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
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
                ps.setString(10, sha256);
                ps.setBytes(11, artifact.bytes());
                ps.setString(12, m.interval());
                if (ps.executeUpdate() == 1) {
                    event(c, m.version(), "added", actor, "{\"sha256\": \"" + sha256 + "\"}");
                    c.commit();
                    return status(c, m.version());
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE models SET artifact = coalesce(artifact, ?) WHERE model_version = ? AND artifact_sha256 = ?")) {
                ps.setBytes(1, artifact.bytes());
                ps.setString(2, m.version());
                ps.setString(3, sha256);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    throw new RegistryException("Version " + m.version()
                            + " is already registered with other bytes (sha256 " + sha256(c, m.version())
                            + "); give a new model a new version");
                }
            }
            c.commit();
            return status(c, m.version());
        }
    }

    /** Makes {@code version} the champion of its interval; the old champion becomes a challenger. */
    public void promote(String version, String actor, String reason) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            String interval = interval(c, version);
            ModelStatus current = status(c, version);
            if (current == ModelStatus.CHAMPION) {
                c.rollback();
                return;
            }
            if (!hasArtifact(c, version)) {
                c.rollback();
                throw new RegistryException(
                        "Version " + version + " has no artifact in the registry; add its file again first");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE models SET status = 'challenger',"
                            + " status_changed_at = now() WHERE interval = ? AND status = 'champion' RETURNING model_version")) {
                ps.setString(1, interval);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        event(c, rs.getString(1), "demoted", actor, detail(reason, version));
                    }
                }
            }
            setStatus(c, version, ModelStatus.CHAMPION);
            event(c, version, "promoted", actor, detail(reason, null));
            c.commit();
        }
    }

    /**
     * Makes {@code version} the champion if its interval's champion cannot be served (a version registered before
     * the registry kept artifacts); returns whether it did.
     */
    public boolean promoteIfChampionUnservable(String version, String actor) throws SQLException {
        String interval;
        try (Connection c = connect()) {
            interval = interval(c, version);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM models WHERE interval = ? AND status = 'champion' AND artifact IS NOT NULL")) {
                ps.setString(1, interval);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
        }
        promote(version, actor, "the " + interval + " champion had no artifact in the registry");
        return true;
    }

    /** Stops scoring {@code version}; the champion cannot be retired before another version is promoted. */
    public void retire(String version, String actor) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            ModelStatus current = status(c, version);
            if (current == ModelStatus.CHAMPION) {
                c.rollback();
                throw new RegistryException(
                        "Version " + version + " is the champion; promote another version before retiring it");
            }
            if (current != ModelStatus.RETIRED) {
                setStatus(c, version, ModelStatus.RETIRED);
                event(c, version, "retired", actor, "{}");
            }
            c.commit();
        }
    }

    public List<Entry> list() throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (Connection c = connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT model_version, interval, status, artifact_sha256,"
                                + " coalesce(length(artifact), 0), registered_at, status_changed_at FROM models"
                                + " ORDER BY interval, status <> 'champion', status = 'retired', registered_at")) {
            while (rs.next()) {
                entries.add(new Entry(
                        rs.getString(1),
                        rs.getString(2),
                        ModelStatus.fromCode(rs.getString(3)),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7).toInstant()));
            }
        }
        return entries;
    }

    /** The scored versions of {@code interval} that have their bytes in the registry, champion first. */
    public RegistrySnapshot snapshot(String interval) throws SQLException {
        try (Connection c = connect()) {
            return snapshot(c, interval);
        }
    }

    /** The same, on the caller's connection. */
    public static RegistrySnapshot snapshot(Connection c, String interval) throws SQLException {
        return new RegistrySnapshot(scored(c, interval, true));
    }

    /**
     * The snapshot, or null when it would equal {@code last} (null: no snapshot yet). The versions' statuses and
     * checksums are read first and their bytes (hundreds of kB each) only when those changed: a poll every few
     * seconds mostly finds nothing new.
     */
    public static RegistrySnapshot snapshotIfChanged(Connection c, String interval, RegistrySnapshot last)
            throws SQLException {
        // Equal versions, statuses and checksums are equal models (RegisteredModel.equals), bytes or not.
        if (last != null && new RegistrySnapshot(scored(c, interval, false)).equals(last)) {
            return null;
        }
        return snapshot(c, interval);
    }

    /** The scored versions of {@code interval} that have bytes; with empty arrays for bytes unless {@code bytes}. */
    private static List<RegisteredModel> scored(Connection c, String interval, boolean bytes) throws SQLException {
        List<RegisteredModel> models = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT model_version, status, artifact_sha256"
                + (bytes ? ", artifact" : "")
                + " FROM models WHERE interval = ? AND status <> 'retired' AND artifact IS NOT NULL")) {
            ps.setString(1, interval);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    models.add(new RegisteredModel(
                            rs.getString(1),
                            ModelStatus.fromCode(rs.getString(2)),
                            rs.getString(3),
                            bytes ? rs.getBytes(4) : new byte[0]));
                }
            }
        }
        return models;
    }

    Connection connect() throws SQLException {
        return db.connect();
    }

    private static void setStatus(Connection c, String version, ModelStatus status) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE models SET status = ?, status_changed_at = now() WHERE model_version = ?")) {
            ps.setString(1, status.code());
            ps.setString(2, version);
            ps.executeUpdate();
        }
    }

    private static void event(Connection c, String version, String event, String actor, String detailJson)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO model_events (model_version, event, actor, detail) VALUES (?, ?, ?, ?::jsonb)")) {
            ps.setString(1, version);
            ps.setString(2, event);
            ps.setString(3, actor);
            ps.setString(4, detailJson);
            ps.executeUpdate();
        }
    }

    private static String detail(String reason, String replacedBy) {
        StringBuilder json = new StringBuilder("{\"reason\": ").append(quote(reason));
        if (replacedBy != null) {
            json.append(", \"replaced_by\": ").append(quote(replacedBy));
        }
        return json.append('}').toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static ModelStatus status(Connection c, String version) throws SQLException {
        return ModelStatus.fromCode(column(c, version, "status"));
    }

    private static String interval(Connection c, String version) throws SQLException {
        return column(c, version, "interval");
    }

    private static String sha256(Connection c, String version) throws SQLException {
        return column(c, version, "artifact_sha256");
    }

    private static boolean hasArtifact(Connection c, String version) throws SQLException {
        return column(c, version, "(artifact IS NOT NULL)::text").equals("true");
    }

    private static String column(Connection c, String version, String expression) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + expression + " FROM models WHERE model_version = ? FOR UPDATE")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RegistryException("No model version '" + version + "' in the registry");
                }
                return rs.getString(1);
            }
        }
    }
}
