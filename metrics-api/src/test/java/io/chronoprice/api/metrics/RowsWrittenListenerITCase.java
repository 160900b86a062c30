package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.chronoprice.db.DbSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report cache listening for the database's writes (migration V15) as the API runs it: with a TTL and a max age
 * of an hour, a report is renewed only because a write was heard.
 */
@MicronautTest(transactional = false)
class RowsWrittenListenerITCase extends ApiITCaseSupport {

    private static final String EXCHANGE = "binance@listentest";
    private static final String URL = "/metrics/model?exchange=binance%40listentest&symbol=BTCUSDT&window=all";
    private static final String SEEDED_URL = "/metrics/model?symbol=BTCUSDT&window=all";
    private static final Duration HEARD = Duration.ofSeconds(10);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    WrittenExchanges writes;

    @Inject
    MeterRegistry meters;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("chronoprice.metrics.cache-ttl", "1h");
        properties.put("chronoprice.metrics.cache-max-age", "1h");
        properties.put("chronoprice.metrics.listen-retry", "200ms");
        return properties;
    }

    @BeforeEach
    void listening() {
        await().atMost(HEARD).until(writes::listening);
    }

    @Test
    void aCommittedPredictionIsInTheNextReportThoughTheTtlIsAnHour() throws Exception {
        write("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                + " VALUES ('" + EXCHANGE + "', 'BTCUSDT', '1m', '2021-05-14 18:00Z', 1, 1, 1, 1, 1)");
        write(prediction("2021-05-14 18:01Z"));
        await().atMost(HEARD).until(() -> predictions() == 1);
        double computed = computations();
        assertThat(predictions()).isEqualTo(1);
        assertThat(computations()).as("answered from the cache").isEqualTo(computed);

        write(prediction("2021-05-14 18:02Z"));

        await().atMost(HEARD).until(() -> predictions() == 2);
        assertThat(meters.get(WrittenExchanges.LISTENING).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aPromotionIsInTheNextReportOfTheSeries() throws Exception {
        assertThat(champion()).isEqualTo(SeedData.MODEL_1);

        TestDatabase.promote(SeedData.MODEL_2);

        await().atMost(HEARD).until(() -> SeedData.MODEL_2.equals(champion()));
    }

    @Test
    void aWriteAfterTheListeningConnectionWasCutIsHeardOnceItIsBack() throws Exception {
        write("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                + " VALUES ('" + EXCHANGE + "', 'BTCUSDT', '1m', '2021-05-14 18:00Z', 1, 1, 1, 1, 1)");
        write(prediction("2021-05-14 18:01Z"));
        await().atMost(HEARD).until(() -> predictions() == 1);
        int cut = listenerBackend();

        try (Connection reader = reader();
                Statement s = reader.createStatement()) {
            // A role may end its own sessions: the reader ends the API's listening one, as a restart of the server
            // or a dropped connection would.
            s.execute("SELECT pg_terminate_backend(" + cut + ")");
        }
        write(prediction("2021-05-14 18:02Z"));

        await().atMost(HEARD).until(() -> listenerBackend() != cut && listenerBackend() != 0);
        await().atMost(HEARD).until(() -> predictions() == 2);
    }

    @AfterEach
    void restore() throws Exception {
        write("DELETE FROM predictions WHERE exchange = '" + EXCHANGE + "'");
        write("DELETE FROM candles WHERE exchange = '" + EXCHANGE + "'");
        TestDatabase.restoreSeededStatuses();
    }

    private long predictions() {
        MetricsReport report = http.toBlocking().retrieve(URL, MetricsReport.class);
        return report.models().stream().mapToLong(ModelMetrics::predictions).sum();
    }

    private double computations() {
        return meters.get(ReportCache.COMPUTATIONS).functionCounter().count();
    }

    private String champion() {
        MetricsReport report = http.toBlocking().retrieve(SEEDED_URL, MetricsReport.class);
        return report.models().stream()
                .filter(ModelMetrics::champion)
                .map(ModelMetrics::modelVersion)
                .findFirst()
                .orElse(null);
    }

    /** The process id of the API's listening session, 0 if there is none. */
    private static int listenerBackend() throws Exception {
        try (Connection reader = reader();
                Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(max(pid), 0) FROM pg_stat_activity"
                        + " WHERE application_name = 'chronoprice-api-listener'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Connection reader() throws Exception {
        DbSettings reader = TestDatabase.get().reader();
        return DriverManager.getConnection(reader.jdbcUrl(), reader.user(), reader.password());
    }

    private static String prediction(String target) {
        return "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time)"
                + " VALUES ('" + EXCHANGE + "', 'BTCUSDT', '1m', '" + target + "', 'lstm-1m-v2', 1, 0.9, 1.1, 1,"
                + " '2021-05-14 18:00Z')";
    }

    private static void write(String sql) throws Exception {
        try (Connection c = TestDatabase.writer();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
