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

    private static final String SEEDED_URL = "/metrics/model?symbol=BTCUSDT&window=all";
    private static final Duration HEARD = Duration.ofSeconds(10);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    WrittenExchanges writes;

    @Inject
    MeterRegistry meters;

    private final ScratchSeries series = new ScratchSeries("binance@listentest");

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
        seedOnePrediction();
        double computed = computations();
        assertThat(predictions()).isEqualTo(1);
        assertThat(computations()).as("answered from the cache").isEqualTo(computed);

        series.prediction("2021-05-14 18:02Z");

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
        seedOnePrediction();
        int cut = listenerBackend();

        try (Connection reader = reader();
                Statement s = reader.createStatement()) {
            // A role may end its own sessions: the reader ends the API's listening one, as a restart of the server
            // or a dropped connection would.
            s.execute("SELECT pg_terminate_backend(" + cut + ")");
        }
        series.prediction("2021-05-14 18:02Z");

        await().atMost(HEARD).until(() -> listenerBackend() != cut && listenerBackend() != 0);
        await().atMost(HEARD).until(() -> predictions() == 2);
    }

    @AfterEach
    void restore() throws Exception {
        series.remove();
        TestDatabase.restoreSeededStatuses();
    }

    /** A candle and the prediction it is the actual of, once the API counts it. */
    private void seedOnePrediction() throws Exception {
        series.candle("2021-05-14 18:00Z");
        series.prediction("2021-05-14 18:01Z");
        await().atMost(HEARD).until(() -> predictions() == 1);
    }

    private long predictions() {
        return series.predictions(http);
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
}
