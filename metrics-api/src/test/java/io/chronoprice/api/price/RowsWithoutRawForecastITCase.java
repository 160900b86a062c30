package io.chronoprice.api.price;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.metrics.MetricsReport;
import io.chronoprice.api.metrics.ModelMetrics;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rows written before migration V4 have no raw forecast, guard weight, calibration offsets or sigmas (NULL). A
 * series made only of such rows (its own exchange, 'legacy', real ETHUSDT candles) is served by every endpoint
 * without error: the new fields are null, the raw and baseline metrics count nothing, the served ones are as before.
 */
@MicronautTest(transactional = false)
class RowsWithoutRawForecastITCase extends ApiITCaseSupport {

    private static final String EXCHANGE = "legacy";
    private static final int TARGETS = 30;

    @Inject
    @Client("/")
    HttpClient http;

    @BeforeAll
    void seedALegacySeries() throws Exception {
        List<SeedData.Candle> candles = TestDatabase.seed().candles("ETHUSDT");
        try (Connection writer = TestDatabase.writer()) {
            writer.setAutoCommit(false);
            for (int i = 0; i < TARGETS; i++) {
                SeedData.Candle last = candles.get(i);
                double naive = last.close();
                TestDatabase.insertCandle(writer, EXCHANGE, last);
                TestDatabase.insertPrediction(
                        writer,
                        EXCHANGE,
                        new SeedData.Prediction(
                                "ETHUSDT",
                                SeedData.MODEL_1,
                                candles.get(i + 1).openTime(),
                                last.openTime(),
                                naive * (1 + 0.0004 * Math.sin(i)),
                                naive * 0.999,
                                naive * 1.001,
                                naive));
            }
            // The target of the last prediction arrives too: every row is resolved.
            TestDatabase.insertCandle(writer, EXCHANGE, candles.get(TARGETS));
            writer.commit();
        }
    }

    @Test
    void predictionAndHistoryCarryNullRawFields() {
        PredictionView latest = http.toBlocking()
                .retrieve("/price/prediction?symbol=ETHUSDT&exchange=" + EXCHANGE, PredictionView.class);
        HistoryPage page =
                http.toBlocking().retrieve("/price/history?symbol=ETHUSDT&exchange=" + EXCHANGE, HistoryPage.class);
        String json = http.toBlocking().retrieve("/price/prediction?symbol=ETHUSDT&exchange=" + EXCHANGE);

        assertThat(latest.actualClose()).isNotNull();
        assertThat(latest.rawPredictedClose()).isNull();
        assertThat(page.points()).hasSize(TARGETS).allSatisfy(p -> {
            assertThat(p.rawPredictedClose()).isNull();
            assertThat(p.rawLowerClose()).isNull();
            assertThat(p.rawUpperClose()).isNull();
            assertThat(p.guardWeight()).isNull();
            assertThat(p.calibrationLower()).isNull();
            assertThat(p.calibrationUpper()).isNull();
        });
        // Unknown values are sent as null, not left out (the API's serde inclusion), so clients see the fields.
        assertThat(json).contains("\"rawPredictedClose\":null", "\"guardWeight\":null", "\"calibrationUpper\":null");
    }

    @Test
    void metricsJudgeTheServedForecastAndCountNothingForRawOrBaselines() {
        MetricsReport report = http.toBlocking()
                .retrieve("/metrics/model?symbol=ETHUSDT&window=all&exchange=" + EXCHANGE, MetricsReport.class);

        assertThat(report.models()).singleElement().satisfies(m -> {
            assertThat(m.resolved()).isEqualTo(TARGETS);
            assertThat(m.mase()).isNotNull();
            assertThat(m.intervalCoverage().total()).isEqualTo(TARGETS);
            // The served interval exists on pre-V4 rows, so its Winkler score does too.
            assertThat(m.winklerBps()).isNotNull().isPositive();
            assertThat(m.meanGuardWeight()).isNull();
            assertNothingCounted(m);
        });
    }

    private static void assertNothingCounted(ModelMetrics m) {
        assertThat(m.raw().resolved()).isZero();
        assertThat(m.raw().mae()).isNull();
        assertThat(m.raw().naiveMae()).isNull();
        assertThat(m.raw().mase()).isNull();
        assertThat(m.raw().winklerBps()).isNull();
        assertThat(m.raw().directionalAccuracy().total()).isZero();
        assertThat(m.raw().directionalAccuracy().rate()).isNull();
        assertThat(m.raw().intervalCoverage().total()).isZero();
        for (var baseline :
                List.of(m.baselines().rollingVolatility(), m.baselines().ewmaVolatility())) {
            assertThat(baseline.intervalCoverage().total()).isZero();
            assertThat(baseline.intervalCoverage().rate()).isNull();
            assertThat(baseline.winklerBps()).isNull();
        }
    }
}
