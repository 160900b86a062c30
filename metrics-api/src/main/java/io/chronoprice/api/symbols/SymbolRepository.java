package io.chronoprice.api.symbols;

import io.chronoprice.api.problem.ApiProblemException;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/** Which symbols and series exist, read with index skip scans so the cost follows the series count, not rows. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SymbolRepository extends GenericRepository<SymbolRepository.SeriesRow, Void> {

    /**
     * Whether any exchange has a candle or a prediction of the symbol: each table's distinct exchanges, one at a time
     * through its primary key (a loose index scan), then a probe of (exchange, symbol) per exchange. No index leads
     * with the symbol since migration V13: every write kept one up to date for this check alone, which the API makes
     * only when a series returned no rows.
     */
    String EXISTS = "WITH RECURSIVE candle_exchanges AS ((SELECT exchange FROM candles ORDER BY exchange LIMIT 1)"
            + " UNION ALL SELECT (SELECT c.exchange FROM candles c WHERE c.exchange > e.exchange"
            + " ORDER BY c.exchange LIMIT 1) FROM candle_exchanges e WHERE e.exchange IS NOT NULL),"
            + " prediction_exchanges AS ((SELECT exchange FROM predictions ORDER BY exchange LIMIT 1)"
            + " UNION ALL SELECT (SELECT p.exchange FROM predictions p WHERE p.exchange > e.exchange"
            + " ORDER BY p.exchange LIMIT 1) FROM prediction_exchanges e WHERE e.exchange IS NOT NULL)"
            + " SELECT EXISTS (SELECT 1 FROM candle_exchanges e WHERE EXISTS (SELECT 1 FROM candles c"
            + " WHERE c.exchange = e.exchange AND c.symbol = :symbol))"
            + " OR EXISTS (SELECT 1 FROM prediction_exchanges e WHERE EXISTS (SELECT 1 FROM predictions p"
            + " WHERE p.exchange = e.exchange AND p.symbol = :symbol))";

    /**
     * Two recursive CTEs list the distinct (exchange, symbol, interval) of candles and of predictions by jumping
     * through each primary key (a loose index scan) instead of a DISTINCT over every row. The latest prediction is
     * the champion's, the served one: challengers write beside it, and a champion that stopped predicting (say its
     * session could not be loaded) must show as stale even while they go on.
     */
    String TRACKED = "WITH RECURSIVE "
            + "candle_series AS ((SELECT exchange, symbol, interval FROM candles"
            + " ORDER BY exchange, symbol, interval LIMIT 1) UNION ALL SELECT n.exchange, n.symbol, n.interval FROM"
            + " candle_series k CROSS JOIN LATERAL (SELECT t.exchange, t.symbol, t.interval FROM candles"
            + " t WHERE (t.exchange, t.symbol, t.interval) > (k.exchange, k.symbol, k.interval)"
            + " ORDER BY t.exchange, t.symbol, t.interval LIMIT 1) n), "
            + "prediction_series AS ((SELECT exchange, symbol, interval FROM predictions"
            + " ORDER BY exchange, symbol, interval LIMIT 1) UNION ALL SELECT n.exchange, n.symbol, n.interval FROM"
            + " prediction_series k CROSS JOIN LATERAL (SELECT t.exchange, t.symbol, t.interval FROM predictions"
            + " t WHERE (t.exchange, t.symbol, t.interval) > (k.exchange, k.symbol, k.interval)"
            + " ORDER BY t.exchange, t.symbol, t.interval LIMIT 1) n)"
            + """
            , series AS (SELECT * FROM candle_series UNION SELECT * FROM prediction_series)
            SELECT s.exchange, s.symbol, s.interval,
                   lc.open_time AS latest_candle_open_time, lc.ingested_at AS latest_candle_ingested_at,
                   CAST(extract(epoch FROM now() - lc.ingested_at) AS double precision) AS candle_staleness_seconds,
                   lp.target_open_time AS latest_prediction_target_time,
                   lp.created_at AS latest_prediction_created_at,
                   CAST(extract(epoch FROM now() - lp.created_at) AS double precision) AS prediction_staleness_seconds
            FROM series s
            LEFT JOIN LATERAL (
                SELECT open_time, ingested_at FROM candles c
                WHERE c.exchange = s.exchange AND c.symbol = s.symbol AND c.interval = s.interval
                ORDER BY c.open_time DESC LIMIT 1) lc ON true
            LEFT JOIN LATERAL (
                SELECT target_open_time, created_at FROM predictions p
                WHERE p.exchange = s.exchange AND p.symbol = s.symbol AND p.interval = s.interval
                  AND p.model_version = (SELECT m.model_version FROM models m
                                         WHERE m.interval = s.interval AND m.status = 'champion')
                ORDER BY p.target_open_time DESC LIMIT 1) lp ON true
            ORDER BY s.symbol, s.exchange, s.interval
            """;

    /**
     * The key columns of a {@code candles} row: Micronaut Data wants a root entity even for native queries, and
     * this package keeps its own rather than borrow {@code price}'s {@code Candle}, since {@code price} depends on
     * this package (for {@link SeriesKey} and {@link #requireKnown}) and must not be depended on back.
     */
    @MappedEntity("candles")
    record SeriesRow(String exchange, String symbol, String interval) {}

    @Query(value = EXISTS, nativeQuery = true)
    boolean known(String symbol);

    @Query(value = TRACKED, nativeQuery = true)
    List<TrackedSeries> tracked();

    /**
     * Throws the 404 problem unless some candle or prediction exists for the (canonical) symbol. It costs a probe per
     * exchange, so callers ask it when a series returned no rows, to tell an unknown symbol from an empty series.
     */
    default void requireKnown(String symbol) {
        if (!known(symbol)) {
            throw ApiProblemException.notFound("symbol", "Unknown symbol " + symbol + ".");
        }
    }
}
