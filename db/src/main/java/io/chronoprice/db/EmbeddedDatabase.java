package io.chronoprice.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's embedded binaries, no root, no apt, no Docker) provisioned the way
 * ChronoPrice expects a server to be: a {@code chronoprice} database owned by the writer role, the
 * read-only role able to log in, and the schema migrated. Tests take a free port and a throwaway data
 * directory; the local run takes a fixed port and a kept data directory, so its data survive a restart.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final DbSettings writer;
    private final DbSettings reader;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String writerPassword, String readerPassword) {
        this.postgres = postgres;
        String url = DbSettings.localUrl(postgres.getPort());
        this.writer = new DbSettings(url, DbSettings.WRITER_USER, writerPassword);
        this.reader = new DbSettings(url, DbSettings.READER_ROLE, readerPassword);
    }

    /** A fresh server on a free port with a temporary data directory, removed on close. For tests. */
    public static EmbeddedDatabase startForTests() {
        return start(0, null, DbSettings.LOCAL_WRITER_PASSWORD, DbSettings.LOCAL_READER_PASSWORD);
    }

    /**
     * Starts (or restarts on the kept {@code dataDir}) a server, provisions roles and database and applies
     * the migrations. Port 0 picks a free port; a null data directory means a temporary one.
     */
    public static EmbeddedDatabase start(int port, Path dataDir, String writerPassword, String readerPassword) {
        // zonky waits 10 s by default; a first start on a busy 2-core host (initdb included) can take longer.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(postgres, writerPassword, readerPassword);
        try {
            db.provision();
            int applied = SchemaMigrations.apply(db.writer);
            LOG.info("Embedded PostgreSQL on port {}; {} migration(s) applied", postgres.getPort(), applied);
            return db;
        } catch (RuntimeException | SQLException e) {
            db.close();
            throw new IllegalStateException("Could not provision the embedded PostgreSQL", e);
        }
    }

    /** Idempotent: roles and the database are created once, passwords follow the current settings. */
    private void provision() throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement st = admin.createStatement()) {
            ensureLoginRole(admin, DbSettings.WRITER_USER, writer.password());
            ensureLoginRole(admin, DbSettings.READER_ROLE, reader.password());
            if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", DbSettings.DATABASE)) {
                st.execute("CREATE DATABASE " + DbSettings.DATABASE + " OWNER " + DbSettings.WRITER_USER);
            }
        }
    }

    private static void ensureLoginRole(Connection admin, String role, String password) throws SQLException {
        String verb = exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role) ? "ALTER" : "CREATE";
        try (Statement st = admin.createStatement()) {
            // Role names are constants; the password is a literal because DDL takes no bind parameters.
            st.execute(verb + " ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The schema owner, which the streaming job writes as. */
    public DbSettings writer() {
        return writer;
    }

    /** The read-only role of the API and Grafana. */
    public DbSettings reader() {
        return reader;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
        }
    }
}
