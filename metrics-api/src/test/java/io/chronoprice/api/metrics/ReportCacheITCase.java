package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
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

    private final ScratchSeries series = new ScratchSeries("binance@cachetest");

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
        series.candle("2021-05-14 18:00Z");
        series.prediction("2021-05-14 18:01Z");
        // Before the request: the report it caches is stamped no earlier than this.
        long cachedAt = System.nanoTime();
        assertThat(predictions()).isEqualTo(1);

        series.prediction("2021-05-14 18:02Z");
        assertThat(predictions()).as("the report cached a moment ago").isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> predictions() == 2);
        assertThat(System.nanoTime() - cachedAt)
                .as("recomputed only once the TTL had passed")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @AfterEach
    void removeTheSeries() throws Exception {
        series.remove();
    }

    private long predictions() {
        return series.predictions(http);
    }
}
