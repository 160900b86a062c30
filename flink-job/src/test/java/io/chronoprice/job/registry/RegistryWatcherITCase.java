package io.chronoprice.job.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.OnnxModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryWatcherITCase {

    private static final List<String> COUNTERS =
            List.of("registryReadFailures", "accuracyRefreshFailures", "partitionMaintenanceFailures");

    private static EmbeddedDatabase db;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private RegistryWatcher watcher;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.startForTests();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void openWatcher() throws Exception {
        try (Connection c = db.writer().connect();
                Statement st = c.createStatement()) {
            st.execute("TRUNCATE models, model_events CASCADE");
        }
        watcher = new RegistryWatcher(db.writer(), "1m", null);
        watcher.open(context(metrics));
    }

    @AfterEach
    void closeWatcher() throws Exception {
        watcher.close();
    }

    @Test
    void everyPollRunsOnOneKeptConnectionAndCloseReleasesIt() throws Exception {
        watcher.map(0L);
        List<Integer> first = watcherBackends();
        assertThat(first).as("the watcher's backends after a poll").hasSize(1);

        for (long poll = 1; poll <= 3; poll++) {
            watcher.map(poll);
        }
        assertThat(watcherBackends()).as("the same backend, poll after poll").isEqualTo(first);

        watcher.close();
        assertThat(watcherBackends()).isEmpty();
        assertThat(metrics.counts())
                .containsOnlyKeys(COUNTERS)
                .allSatisfy((name, count) -> assertThat(count).as(name).isZero());
    }

    @Test
    void aLostConnectionCostsOneCountedStepAndTheNextStepReconnects() throws Exception {
        assertThat(watcher.map(0L).models()).isEmpty();
        int lost = watcherBackends().get(0);
        terminate(lost);
        add(ParityFixture.V2);

        // The poll's first step (the partition upkeep, due on this poll) finds the connection gone; the next steps
        // open a new one, so the same poll still sees the new model.
        RegistrySnapshot next = watcher.map(RegistryWatcher.PARTITION_UPKEEP_EVERY);

        assertThat(next.models()).extracting(RegisteredModel::version).containsExactly(ParityFixture.V2);
        assertThat(metrics.counts())
                .containsEntry("partitionMaintenanceFailures", 1L)
                .containsEntry("accuracyRefreshFailures", 0L)
                .containsEntry("registryReadFailures", 0L);
        assertThat(watcherBackends()).hasSize(1).doesNotContain(lost);

        // Between upkeeps the refresh is the first step.
        terminate(watcherBackends().get(0));
        assertThat(watcher.map(RegistryWatcher.PARTITION_UPKEEP_EVERY + 1)).isSameAs(RegistrySnapshot.NO_CHANGE);
        assertThat(metrics.counts())
                .containsEntry("partitionMaintenanceFailures", 1L)
                .containsEntry("accuracyRefreshFailures", 1L)
                .containsEntry("registryReadFailures", 0L);
    }

    @Test
    void thePartitionsAreLookedAfterOnTheFirstPollAndThenEveryFewPolls() throws Exception {
        List<Long> upkeepPolls = new ArrayList<>();
        for (long poll = 0; poll <= 2 * RegistryWatcher.PARTITION_UPKEEP_EVERY; poll++) {
            // A candle of a month of its own, which waits in a gap partition until an upkeep gives it one.
            OffsetDateTime month =
                    OffsetDateTime.of(2001, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMonths(poll);
            insertCandle(month);
            watcher.map(poll);
            if (hasPartition(
                    "candles_p" + DateTimeFormatter.ofPattern("yyyy_MM").format(month))) {
                upkeepPolls.add(poll);
            }
        }
        assertThat(upkeepPolls)
                .containsExactly(
                        0L, RegistryWatcher.PARTITION_UPKEEP_EVERY, 2 * RegistryWatcher.PARTITION_UPKEEP_EVERY);
    }

    /** The writer's backends other than the test's own. */
    private static List<Integer> watcherBackends() throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = db.writer().connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE usename = current_user"
                        + " AND datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    private static void insertCandle(OffsetDateTime openTime) throws SQLException {
        try (Connection c = db.writer().connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO candles"
                        + " (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                        + " VALUES ('watcher-test', 'BTCUSDT', '1m', ?, 1, 1, 1, 1, 1)")) {
            ps.setObject(1, openTime);
            ps.executeUpdate();
        }
    }

    private static boolean hasPartition(String name) throws SQLException {
        try (Connection c = db.writer().connect();
                PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection c = db.writer().connect();
                Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + pid + ", 5000)");
        }
    }

    private static void add(String version) throws Exception {
        ModelArtifact artifact = ParityFixture.model(version);
        try (OnnxModel model = OnnxModel.load(artifact, "1m", 60)) {
            new ModelRegistry(db.writer()).add(artifact, model.metadata(), "test");
        }
    }

    private static SourceReaderContext context(SourceReaderMetricGroup metrics) {
        return new SourceReaderContext() {
            @Override
            public SourceReaderMetricGroup metricGroup() {
                return metrics;
            }

            @Override
            public Configuration getConfiguration() {
                return new Configuration();
            }

            @Override
            public String getLocalHostName() {
                return "localhost";
            }

            @Override
            public int getIndexOfSubtask() {
                return 0;
            }

            @Override
            public void sendSplitRequest() {}

            @Override
            public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
            }
        };
    }

    /** Keeps the counters the watcher registers, so that the test can read them. */
    private static final class RecordingMetrics extends UnregisteredMetricsGroup implements SourceReaderMetricGroup {

        private final Map<String, Counter> counters = new HashMap<>();

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(name, n -> new SimpleCounter());
        }

        Map<String, Long> counts() {
            Map<String, Long> counts = new HashMap<>();
            counters.forEach((name, counter) -> counts.put(name, counter.getCount()));
            return counts;
        }

        @Override
        public Counter getNumRecordsInErrorsCounter() {
            return new SimpleCounter();
        }

        @Override
        public void setPendingBytesGauge(Gauge<Long> pendingBytesGauge) {}

        @Override
        public void setPendingRecordsGauge(Gauge<Long> pendingRecordsGauge) {}

        @Override
        public OperatorIOMetricGroup getIOMetricGroup() {
            return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
        }
    }
}
