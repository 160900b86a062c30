package io.chronoprice.api.price;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.models.ModelRepository;
import io.chronoprice.api.support.Plans;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.symbols.SeriesKey;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The latest and range reads walk an index, so their cost does not grow with the tables. */
class PriceQueryPlansITCase {

    private static final SeriesKey BTC = new SeriesKey("binance", "BTCUSDT", "1m");

    @Test
    void latestCandleIsAnIndexScan() throws Exception {
        assertThat(Plans.explain(PriceRepository.LATEST_CANDLE, BTC::bind))
                .contains("Index")
                .doesNotContain("Seq Scan")
                .doesNotContain("Sort");
    }

    @Test
    void latestPredictionIsAnIndexScanWithoutSort() throws Exception {
        String plan = Plans.explain(PriceRepository.LATEST_PREDICTION, ps -> {
            BTC.bind(ps);
            ps.setString(4, SeedData.MODEL_1);
        });
        assertThat(plan).contains("Index").doesNotContain("Seq Scan").doesNotContain("Sort");
    }

    @Test
    void historyRangeIsAnIndexRangeScan() throws Exception {
        String plan = Plans.explain(PriceRepository.HISTORY, ps -> {
            BTC.bind(ps);
            ps.setTimestamp(4, Timestamp.from(Instant.parse("2021-05-14T00:00:00Z")));
            ps.setTimestamp(5, Timestamp.from(Instant.parse("2021-05-14T06:00:00Z")));
            ps.setTimestamp(6, Timestamp.from(Instant.parse("2021-05-13T23:59:59Z")));
            ps.setString(7, "");
            ps.setString(8, SeedData.MODEL_1);
            ps.setInt(9, 501);
        });
        // No Sort either: the page must come out of the index in order, or a wide range sorts every row in it
        // to return the first 500.
        assertThat(plan).contains("Index").doesNotContain("Seq Scan").doesNotContain("Sort");
    }

    @Test
    void championLookupUsesTheOneChampionPerIntervalIndex() throws Exception {
        String plan = Plans.explain(ModelRepository.CHAMPION, ps -> ps.setString(1, "1m"));
        // Every request without model_version makes this lookup: it must stay a probe of the partial unique index.
        assertThat(plan).contains("models_one_champion_per_interval").doesNotContain("Seq Scan");
    }
}
