package io.chronoprice.api.live;

import io.chronoprice.api.price.PredictionView;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

/**
 * The feed's queries: what was written since a point in time, by write time, using the {@code created_at}
 * index on predictions and the {@code ingested_at} index on candles (V3 migration).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface LiveRepository extends GenericRepository<PredictionView, Void> {

    String CLOCK = "SELECT statement_timestamp() AS now";

    String NEW_PREDICTIONS = "SELECT " + PredictionView.COLUMNS
            + " FROM prediction_outcomes o WHERE o.created_at > :since ORDER BY o.created_at";

    String NEW_OUTCOMES = "SELECT " + PredictionView.COLUMNS
            + " FROM candles c JOIN prediction_outcomes o ON o.exchange = c.exchange AND o.symbol = c.symbol"
            + " AND o.interval = c.interval AND o.target_open_time = c.open_time"
            + " WHERE c.ingested_at > :since ORDER BY c.ingested_at";

    /** The database's clock, so that the feed never compares app time with database time. */
    @Query(value = CLOCK, nativeQuery = true)
    Instant now();

    @Query(value = NEW_PREDICTIONS, nativeQuery = true)
    List<PredictionView> predictionsCreatedAfter(Instant since);

    @Query(value = NEW_OUTCOMES, nativeQuery = true)
    List<PredictionView> outcomesResolvedAfter(Instant since);
}
