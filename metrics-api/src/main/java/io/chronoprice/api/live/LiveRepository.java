package io.chronoprice.api.live;

import io.chronoprice.api.price.PredictionView;
import io.chronoprice.api.sql.Db;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * The feed's queries: what was written since a point in time, by write time, using the {@code created_at}
 * index on predictions and the {@code ingested_at} index on candles (V3 migration).
 */
@Singleton
final class LiveRepository {

    private static final String CLOCK = "SELECT statement_timestamp() AS now";

    private static final String NEW_PREDICTIONS = "SELECT " + PredictionView.COLUMNS
            + " FROM prediction_outcomes o WHERE o.created_at > ? ORDER BY o.created_at";

    private static final String NEW_OUTCOMES = "SELECT " + PredictionView.COLUMNS
            + " FROM candles c JOIN prediction_outcomes o ON o.exchange = c.exchange AND o.symbol = c.symbol"
            + " AND o.interval = c.interval AND o.target_open_time = c.open_time"
            + " WHERE c.ingested_at > ? ORDER BY c.ingested_at";

    private final Db db;

    LiveRepository(Db db) {
        this.db = db;
    }

    /** The database's clock, so that the feed never compares app time with database time. */
    Instant now() {
        return db.first(CLOCK, ps -> {}, rs -> Db.instant(rs, "now")).orElseThrow();
    }

    List<PredictionView> predictionsCreatedAfter(Instant since) {
        return db.list(NEW_PREDICTIONS, ps -> Db.setInstant(ps, 1, since), PredictionView::map);
    }

    List<PredictionView> outcomesResolvedAfter(Instant since) {
        return db.list(NEW_OUTCOMES, ps -> Db.setInstant(ps, 1, since), PredictionView::map);
    }
}
