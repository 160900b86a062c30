package io.chronoprice.api.price;

import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.api.problem.Params;
import io.chronoprice.api.symbols.SeriesKey;
import io.chronoprice.api.symbols.SymbolRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;

/**
 * {@code /price/*}: the latest candle, the latest prediction and the actual-vs-predicted history of a series.
 * Parameters arrive as strings and are parsed in {@link Params}/{@link SeriesKey} so bad input is a 400 problem.
 */
@Controller("/price")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PriceController {

    // Open range ends when from/to are omitted: far outside any candle, and within timestamptz's range.
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private final PriceRepository prices;
    private final SymbolRepository symbols;
    private final HistoryProperties limits;

    public PriceController(PriceRepository prices, SymbolRepository symbols, HistoryProperties limits) {
        this.prices = prices;
        this.symbols = symbols;
        this.limits = limits;
    }

    @Operation(summary = "The latest closed candle of a series")
    @Get("/latest")
    public Candle latest(
            @Nullable @QueryValue String symbol,
            @Nullable @QueryValue String exchange,
            @Nullable @QueryValue String interval) {
        SeriesKey key = SeriesKey.parse(symbol, exchange, interval);
        return prices.latestCandle(key).orElseThrow(() -> noData(key, "candles"));
    }

    @Operation(summary = "The latest prediction of a series, with its actual and error once known")
    @Get("/prediction")
    public PredictionView prediction(
            @Nullable @QueryValue String symbol,
            @Nullable @QueryValue String exchange,
            @Nullable @QueryValue String interval,
            @Nullable @QueryValue("model_version") String modelVersion) {
        SeriesKey key = SeriesKey.parse(symbol, exchange, interval);
        return prices.latestPrediction(key, Params.modelVersion(modelVersion))
                .orElseThrow(() -> noData(key, "predictions"));
    }

    @Operation(summary = "Actual vs predicted closes in [from, to), oldest first, paged by cursor")
    @Get("/history")
    public HistoryPage history(
            @Nullable @QueryValue String symbol,
            @Nullable @QueryValue String exchange,
            @Nullable @QueryValue String interval,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to,
            @Nullable @QueryValue String limit,
            @Nullable @QueryValue String cursor,
            @Nullable @QueryValue("model_version") String modelVersion) {
        SeriesKey key = SeriesKey.parse(symbol, exchange, interval);
        Instant start = Params.instant("from", from, EARLIEST);
        Instant end = Params.instant("to", to, LATEST);
        if (!start.isBefore(end)) {
            throw ApiProblemException.badParameter("from", "Parameter 'from' must be before 'to'.");
        }
        int size = Params.intInRange("limit", limit, limits.defaultLimit(), 1, limits.maxLimit());
        HistoryCursor after = HistoryCursor.parse(cursor, start);
        String model = Params.modelVersion(modelVersion);
        symbols.requireKnown(key.symbol());
        // One extra row tells whether another page exists without a count query.
        List<PredictionView> rows = prices.history(key, start, end, after, model, size + 1);
        boolean more = rows.size() > size;
        List<PredictionView> page = more ? rows.subList(0, size) : rows;
        String next = more ? HistoryCursor.after(page.get(size - 1)).encode() : null;
        return new HistoryPage(key.exchange(), key.symbol(), key.interval(), start, end, size, page, next);
    }

    /** 404 either way; the detail says whether the symbol is unknown or just has no rows in this series. */
    private ApiProblemException noData(SeriesKey key, String what) {
        symbols.requireKnown(key.symbol());
        return ApiProblemException.notFound(
                "symbol", "No " + what + " for " + key.symbol() + " on " + key.exchange() + " " + key.interval() + ".");
    }
}
