package io.chronoprice.api.symbols;

import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.api.sql.Db;
import jakarta.inject.Singleton;
import java.util.List;

/** Which symbols and series exist, read with index skip scans so the cost follows the series count, not rows. */
@Singleton
public final class SymbolRepository {

    private static final String EXISTS = "SELECT EXISTS (SELECT 1 FROM candles WHERE symbol = ?)"
            + " OR EXISTS (SELECT 1 FROM predictions WHERE symbol = ?)";

    private static final String TRACKED = "WITH RECURSIVE " + distinctSeries("candle_series", "candles") + ", "
            + distinctSeries("prediction_series", "predictions") + """
            , series AS (SELECT * FROM candle_series UNION SELECT * FROM prediction_series)
            SELECT s.exchange, s.symbol, s.interval,
                   lc.open_time AS latest_candle_open_time, lc.ingested_at AS latest_candle_ingested_at,
                   extract(epoch FROM now() - lc.ingested_at)::double precision AS candle_staleness_seconds,
                   lp.target_open_time AS latest_prediction_target_time,
                   lp.created_at AS latest_prediction_created_at,
                   extract(epoch FROM now() - lp.created_at)::double precision AS prediction_staleness_seconds
            FROM series s
            LEFT JOIN LATERAL (
                SELECT open_time, ingested_at FROM candles c
                WHERE c.exchange = s.exchange AND c.symbol = s.symbol AND c.interval = s.interval
                ORDER BY c.open_time DESC LIMIT 1) lc ON true
            LEFT JOIN LATERAL (
                SELECT target_open_time, created_at FROM predictions p
                WHERE p.exchange = s.exchange AND p.symbol = s.symbol AND p.interval = s.interval
                ORDER BY p.target_open_time DESC LIMIT 1) lp ON true
            ORDER BY s.symbol, s.exchange, s.interval
            """;

    private final Db db;

    public SymbolRepository(Db db) {
        this.db = db;
    }

    /** Throws the 404 problem unless some candle or prediction exists for the (canonical) symbol. */
    public void requireKnown(String symbol) {
        boolean known = db.first(
                        EXISTS,
                        ps -> {
                            ps.setString(1, symbol);
                            ps.setString(2, symbol);
                        },
                        rs -> rs.getBoolean(1))
                .orElse(false);
        if (!known) {
            throw ApiProblemException.notFound("symbol", "Unknown symbol " + symbol + ".");
        }
    }

    public List<TrackedSeries> tracked() {
        return db.list(
                TRACKED,
                ps -> {},
                rs -> new TrackedSeries(
                        rs.getString("exchange"),
                        rs.getString("symbol"),
                        rs.getString("interval"),
                        Db.instant(rs, "latest_candle_open_time"),
                        Db.instant(rs, "latest_candle_ingested_at"),
                        Db.nullableDouble(rs, "candle_staleness_seconds"),
                        Db.instant(rs, "latest_prediction_target_time"),
                        Db.instant(rs, "latest_prediction_created_at"),
                        Db.nullableDouble(rs, "prediction_staleness_seconds")));
    }

    /**
     * A recursive CTE listing the distinct (exchange, symbol, interval) of a table by jumping through its
     * primary key (a loose index scan), instead of a DISTINCT over every row.
     */
    private static String distinctSeries(String name, String table) {
        return name + " AS ((SELECT exchange, symbol, interval FROM " + table
                + " ORDER BY exchange, symbol, interval LIMIT 1) UNION ALL SELECT n.exchange, n.symbol, n.interval FROM "
                + name + " k CROSS JOIN LATERAL (SELECT t.exchange, t.symbol, t.interval FROM " + table
                + " t WHERE (t.exchange, t.symbol, t.interval) > (k.exchange, k.symbol, k.interval)"
                + " ORDER BY t.exchange, t.symbol, t.interval LIMIT 1) n)";
    }
}
