package io.chronoprice.job.registry;

import io.chronoprice.db.AccuracyRollups;
import io.chronoprice.db.DbSettings;
import io.chronoprice.db.MonthlyPartitions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the registry each time the rate-limited source asks for an element (every poll interval) and emits the
 * snapshot when it changed, {@link RegistrySnapshot#NO_CHANGE} otherwise. A registry that cannot be read is
 * logged and counted, never fatal: the job goes on scoring with the models it has. When automatic promotion is
 * on, it runs here too, as the job is the one component with the writer's credentials that is always running; so
 * do the refresh of the accuracy prefix sums and, every {@link #PARTITION_UPKEEP_EVERY} polls, the upkeep of the
 * monthly partitions.
 *
 * <p>All three run on one connection kept from poll to poll: a new connection every poll cost PostgreSQL a backend
 * start each time, most of an idle stack's database CPU. A failed step drops the connection, and the next step
 * opens a new one, so a database restart costs a poll at most.
 */
public class RegistryWatcher implements GeneratorFunction<Long, RegistrySnapshot> {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

    /**
     * The partitions are looked after every this many polls (a minute at the default 10 s): next month's partition
     * is due weeks ahead, and rows of a past month wait in a gap partition a minute longer, while the upkeep reads
     * every partition's bounds (about 5 ms of PostgreSQL, half the idle poll's cost).
     */
    static final long PARTITION_UPKEEP_EVERY = 6;

    private final DbSettings db;
    private final String interval;
    private final AutoPromotion promotion;

    private transient ModelRegistry registry;
    private transient Connection connection;
    private transient RegistrySnapshot last;
    private transient Counter readFailures;
    private transient Counter accuracyRefreshFailures;
    private transient Counter partitionFailures;

    /**
     * The source that emits the registry of {@code interval} every {@code poll}: a rate-limited
     * {@link DataGeneratorSource} (checkpointed like any FLIP-27 source) around a watcher.
     */
    public static DataGeneratorSource<RegistrySnapshot> source(
            DbSettings db, String interval, AutoPromotion promotion, Duration poll) {
        return new DataGeneratorSource<>(
                new RegistryWatcher(db, interval, promotion),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(1000.0 / poll.toMillis()),
                TypeInformation.of(RegistrySnapshot.class));
    }

    /** {@code promotion} null: no automatic promotion (the default). */
    public RegistryWatcher(DbSettings db, String interval, AutoPromotion promotion) {
        this.db = db;
        this.interval = interval;
        this.promotion = promotion;
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        registry = new ModelRegistry(db);
        readFailures = readerContext.metricGroup().counter("registryReadFailures");
        accuracyRefreshFailures = readerContext.metricGroup().counter("accuracyRefreshFailures");
        partitionFailures = readerContext.metricGroup().counter("partitionMaintenanceFailures");
    }

    @Override
    public RegistrySnapshot map(Long poll) {
        if (promotion != null) {
            promotion.runIfDue(registry, interval);
        }
        if (poll % PARTITION_UPKEEP_EVERY == 0) {
            maintainPartitions();
        }
        refreshAccuracy();
        RegistrySnapshot current;
        try {
            current = ModelRegistry.snapshotIfChanged(connection(), interval, last);
        } catch (SQLException e) {
            dropConnection();
            readFailures.inc();
            LOG.warn("Model registry not readable ({}); scoring goes on with the models loaded", e.getMessage());
            return RegistrySnapshot.NO_CHANGE;
        }
        if (current == null || current.equals(last)) {
            return RegistrySnapshot.NO_CHANGE;
        }
        if (last != null) {
            LOG.info("Model registry changed: {}", current.models());
        }
        last = current;
        return current;
    }

    @Override
    public void close() {
        dropConnection();
    }

    /**
     * Gives the current and next month their partitions before rows of them are written, and files into their months
     * the rows that landed in a gap partition (a replay's or a backfill's past months). A failure (e.g. 500 ms waiting
     * for the tables' locks) loses nothing: rows wait in the gap partition until a later poll.
     */
    private void maintainPartitions() {
        try {
            int created = MonthlyPartitions.maintain(connection(), Instant.now());
            if (created > 0) {
                LOG.info("{} monthly partition(s) created", created);
            }
        } catch (SQLException e) {
            dropConnection();
            partitionFailures.inc();
            LOG.warn("Monthly partitions not maintained ({}); rows wait in a gap partition", e.getMessage());
        }
    }

    /**
     * Brings the accuracy prefix sums up to the rows written since the last poll, so that the API reads few rows.
     * Here because this is the job's one periodic task that talks to PostgreSQL; a failure only makes reads slower.
     */
    private void refreshAccuracy() {
        try {
            AccuracyRollups.refresh(connection());
        } catch (SQLException e) {
            dropConnection();
            accuracyRefreshFailures.inc();
            LOG.warn("Accuracy sums not refreshed ({}); the API reads the rows meanwhile", e.getMessage());
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = db.connect();
        }
        return connection;
    }

    private void dropConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the registry connection failed", e);
        }
        connection = null;
    }
}
