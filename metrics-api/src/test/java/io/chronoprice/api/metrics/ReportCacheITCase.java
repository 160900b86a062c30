package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The report cache when the API does not listen for writes (or cannot): a write shows up in /metrics/model after the
 * cache's TTL, not before. {@link RowsWrittenListenerITCase} has it listening.
 */
@MicronautTest(transactional = false)
class ReportCacheITCase extends ApiITCaseSupport {

    private static final String EXCHANGE = "binance@cachetest";
    private static final String URL = "/metrics/model?exchange=binance%40cachetest&symbol=BTCUSDT&window=all";

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("chronoprice.metrics.cache-ttl", "5s");
        properties.put("chronoprice.metrics.listen", "false");
        return properties;
    }

    @Test
    void aNewPredictionIsCountedOnceTheCachedReportIsOlderThanTheTtl() throws Exception {
        write("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                + " VALUES ('" + EXCHANGE + "', 'BTCUSDT', '1m', '2021-05-14 18:00Z', 1, 1, 1, 1, 1)");
        write(prediction("2021-05-14 18:01Z"));
        // Before the request: the report it caches is stamped no earlier than this.
        long cachedAt = System.nanoTime();
        assertThat(predictions()).isEqualTo(1);

        write(prediction("2021-05-14 18:02Z"));
        assertThat(predictions()).as("the report cached a moment ago").isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> predictions() == 2);
        assertThat(System.nanoTime() - cachedAt)
                .as("recomputed only once the TTL had passed")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @AfterEach
    void removeTheSeries() throws Exception {
        write("DELETE FROM predictions WHERE exchange = '" + EXCHANGE + "'");
        write("DELETE FROM candles WHERE exchange = '" + EXCHANGE + "'");
    }

    private long predictions() {
        MetricsReport report = http.toBlocking().retrieve(URL, MetricsReport.class);
        return report.models().stream().mapToLong(ModelMetrics::predictions).sum();
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
