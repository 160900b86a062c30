package io.chronoprice.api.metrics;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on migration V15's channel on a connection of its own (outside the pool: it is held for the API's life)
 * and tells {@link WrittenExchanges} of every write it hears, so that the report cache keeps a report exactly as
 * long as its exchange is not written. Should the connection fail, the cache falls back to its TTL until listening
 * works again, tried after {@code listen-retry}, then twice as long each time up to a minute. A connection that broke
 * without a word (a dropped network) is found by a probe every {@link #PROBE}: until then, the reports may stay that
 * much behind. Not started when the cache is off ({@code cache-ttl} 0) or {@code chronoprice.metrics.listen} is
 * false.
 */
@Singleton
class RowsWrittenListener implements ApplicationEventListener<ServerStartupEvent> {

    static final String CHANNEL = "chronoprice_rows_written";
    static final Duration PROBE = Duration.ofSeconds(10);
    /** The longest wait between two tries to listen, unless {@code listen-retry} is longer. */
    static final Duration MAX_RETRY = Duration.ofMinutes(1);
    /** How long one wait for notifications lasts: how long a shutdown waits for the thread at most. */
    private static final int WAIT_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RowsWrittenListener.class);

    private final WrittenExchanges writes;
    private final MetricsProperties properties;
    private final String url;
    private final Properties login = new Properties();

    private volatile boolean closed;
    private Thread thread;

    RowsWrittenListener(
            WrittenExchanges writes,
            MetricsProperties properties,
            @Property(name = "datasources.default.url") String url,
            @Property(name = "datasources.default.username") String user,
            @Property(name = "datasources.default.password") String password) {
        this.writes = writes;
        this.properties = properties;
        this.url = url;
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("ApplicationName", "chronoprice-api-listener");
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        // The cache is off at a TTL of 0 or less (ReportCache): nothing would use what is heard.
        if (thread != null || !properties.listen() || properties.cacheTtl().toNanos() <= 0) {
            return;
        }
        thread = new Thread(this::run, "rows-written-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean failed = false;
        Duration retry = properties.listenRetry();
        Duration longest = properties.listenRetry().compareTo(MAX_RETRY) > 0 ? properties.listenRetry() : MAX_RETRY;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, login)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                writes.listening(true);
                LOG.info(
                        "{} for the database's writes: a /metrics/model report is kept until its exchange is"
                                + " written (at most {})",
                        failed ? "Listening again" : "Listening",
                        properties.cacheMaxAge());
                failed = false;
                retry = properties.listenRetry();
                listen(c);
            } catch (SQLException | RuntimeException e) {
                writes.listening(false);
                if (closed) {
                    return;
                }
                if (!failed) {
                    LOG.warn(
                            "Not listening for the database's writes ({}): a /metrics/model report is kept for {}"
                                    + " meanwhile; trying again in {}, then less and less often",
                            e.getMessage(),
                            properties.cacheTtl(),
                            retry);
                }
                failed = true;
                pause(retry);
                // A server that cannot listen at all (a hot standby refuses LISTEN) is not asked every few seconds.
                retry = retry.multipliedBy(2).compareTo(longest) > 0 ? longest : retry.multipliedBy(2);
            }
        }
        writes.listening(false);
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long probeAt = System.nanoTime() + PROBE.toNanos();
        while (!closed) {
            PGNotification[] heard = pg.getNotifications(WAIT_MILLIS);
            if (heard != null) {
                for (PGNotification n : heard) {
                    writes.written(n.getParameter());
                }
            }
            if (System.nanoTime() - probeAt >= 0) {
                if (!c.isValid((int) PROBE.toSeconds())) {
                    throw new SQLException("the listening connection stopped answering");
                }
                probeAt = System.nanoTime() + PROBE.toNanos();
            }
        }
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops listening: the thread sees it after its current wait, and closes its connection. */
    @PreDestroy
    synchronized void close() throws InterruptedException {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            thread.join(2L * WAIT_MILLIS);
        }
    }
}
