package io.chronoprice.db;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;

/**
 * Where and as whom a component connects to PostgreSQL. Values come from the environment; the defaults
 * match the embedded database of the local run and are meant for nothing else.
 */
public record DbSettings(String jdbcUrl, String user, String password) implements Serializable {

    /**
     * The local run's port: below 32768, outside the range Linux hands out to outgoing connections, so that none of
     * them can hold it when the database starts.
     */
    public static final int LOCAL_PORT = 15329;

    public static final String DATABASE = "chronoprice";
    public static final String WRITER_USER = "chronoprice";
    public static final String READER_ROLE = "chronoprice_reader";
    static final String LOCAL_WRITER_PASSWORD = "chronoprice-local";
    static final String LOCAL_READER_PASSWORD = "reader-local";

    public DbSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** The job's (writer, schema owner) settings: CHRONOPRICE_DB_URL, _USER, _PASSWORD. */
    public static DbSettings writerFromEnv(Map<String, String> env) {
        return new DbSettings(
                env.getOrDefault("CHRONOPRICE_DB_URL", localUrl(LOCAL_PORT)),
                env.getOrDefault("CHRONOPRICE_DB_USER", WRITER_USER),
                env.getOrDefault("CHRONOPRICE_DB_PASSWORD", LOCAL_WRITER_PASSWORD));
    }

    /** The read-only settings of the API and Grafana: CHRONOPRICE_DB_URL, _READER_USER, _READER_PASSWORD. */
    public static DbSettings readerFromEnv(Map<String, String> env) {
        return new DbSettings(
                env.getOrDefault("CHRONOPRICE_DB_URL", localUrl(LOCAL_PORT)),
                env.getOrDefault("CHRONOPRICE_DB_READER_USER", READER_ROLE),
                env.getOrDefault("CHRONOPRICE_DB_READER_PASSWORD", LOCAL_READER_PASSWORD));
    }

    public static String localUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    @Override
    public String toString() {
        return "DbSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
    }
}
