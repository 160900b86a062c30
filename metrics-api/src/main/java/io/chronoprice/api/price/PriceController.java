package io.chronoprice.api.price;

import io.chronoprice.api.models.ModelRepository;
import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.api.problem.Params;
import io.chronoprice.api.problem.ProblemResponses;
import io.chronoprice.api.symbols.SeriesKey;
import io.chronoprice.api.symbols.SeriesQuery;
import io.chronoprice.api.symbols.SymbolRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * {@code /price/*}: the latest candle, the latest prediction and the actual-vs-predicted history of a series.
 * Parameters arrive as strings and are parsed in {@link Params}/{@link SeriesKey} so bad input is a 400 problem;
 * the series' own are one {@link SeriesQuery}.
 * Predictions are the served forecast, i.e. the champion's of the series' interval, unless {@code model_version}
 * names another version; the champion is read from the registry on every request (see {@link ModelRepository}).
 */
@Controller("/price")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PriceController {

    // Open range ends when from/to are omitted: far outside any candle, and within timestamptz's range.
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private final PriceRepository prices;
    private final SymbolRepository symbols;
    private final ModelRepository models;
    private final HistoryProperties limits;

    public PriceController(
            PriceRepository prices, SymbolRepository symbols, ModelRepository models, HistoryProperties limits) {
        this.prices = prices;
        this.symbols = symbols;
        this.models = models;
        this.limits = limits;
    }

    @Operation(summary = "The latest closed candle of a series")
    @Get("/latest")
    @ProblemResponses.ForSeries
    public Candle latest(@RequestBean SeriesQuery series) {
        SeriesKey key = series.key();
        return prices.latestCandle(key).orElseThrow(() -> noData(key, "candles"));
    }

    @Operation(
            summary = "The latest prediction of a series, with its actual and error once known",
            description = "The champion's (the served forecast) unless model_version names another version.")
    @Get("/prediction")
    @ProblemResponses.ForSeries
    public PredictionView prediction(
            @RequestBean SeriesQuery series,
            @Parameter(description = Params.MODEL_VERSION_DOC, schema = @Schema(pattern = Params.MODEL_VERSION_PATTERN))
                    @Nullable
                    @QueryValue("model_version")
                    String modelVersion) {
        SeriesKey key = series.key();
        String requested = Params.modelVersion(modelVersion);
        String version = requested != null ? requested : champion(key);
        return prices.latestPrediction(key, version)
                .orElseThrow(
                        () -> noData(key, "predictions of " + version + (requested == null ? " (the champion)" : "")));
    }

    @Operation(
            summary = "Actual vs predicted closes in [from, to), oldest first, paged by cursor",
            description = "The champion's predictions (the served forecast) unless model_version names another"
                    + " version; the page's modelVersion says which.")
    @Get("/history")
    @ProblemResponses.ForSeries
    public HistoryPage history(
            @RequestBean SeriesQuery series,
            @Parameter(
                            description = "Targets from this instant on (ISO-8601 with offset, years 0001-9999);"
                                    + " default: the earliest.",
                            schema = @Schema(type = "string", format = "date-time"))
                    @Nullable
                    @QueryValue
                    String from,
            @Parameter(
                            description = "Targets before this instant (ISO-8601 with offset, years 0001-9999), after"
                                    + " 'from'; default: the latest.",
                            schema = @Schema(type = "string", format = "date-time"))
                    @Nullable
                    @QueryValue
                    String to,
            @Parameter(
                            description = "Points per page (chronoprice.history.max-limit, 5000 by default, at most).",
                            schema = @Schema(type = "integer", minimum = "1", maximum = "5000", defaultValue = "500"))
                    @Nullable
                    @QueryValue
                    String limit,
            @Parameter(
                            description = "The previous page's nextCursor, with the same other parameters.",
                            schema = @Schema(type = "string"))
                    @Nullable
                    @QueryValue
                    String cursor,
            @Parameter(description = Params.MODEL_VERSION_DOC, schema = @Schema(pattern = Params.MODEL_VERSION_PATTERN))
                    @Nullable
                    @QueryValue("model_version")
                    String modelVersion) {
        SeriesKey key = series.key();
        Instant start = Params.instant("from", from, EARLIEST);
        Instant end = Params.instant("to", to, LATEST);
        if (!start.isBefore(end)) {
            throw ApiProblemException.badParameter("from", "Parameter 'from' must be before 'to'.");
        }
        int size = Params.intInRange("limit", limit, limits.defaultLimit(), 1, limits.maxLimit());
        HistoryCursor after = HistoryCursor.parse(cursor, start);
        String requested = Params.modelVersion(modelVersion);
        String version = requested != null ? requested : champion(key);
        // One extra row tells whether another page exists without a count query.
        List<PredictionView> rows = prices.history(key, start, end, after, version, size + 1);
        if (rows.isEmpty()) {
            symbols.requireKnown(key.symbol());
        }
        boolean more = rows.size() > size;
        List<PredictionView> page = more ? rows.subList(0, size) : rows;
        String next = more ? HistoryCursor.after(page.get(size - 1)).encode() : null;
        return new HistoryPage(key.exchange(), key.symbol(), key.interval(), version, start, end, size, page, next);
    }

    /**
     * The served version of the series: its interval's champion now. 404 naming {@code model_version} when the
     * interval has none (no registered model), since there is then no served forecast to default to.
     */
    private String champion(SeriesKey key) {
        return models.champion(key.interval()).orElseThrow(() -> {
            symbols.requireKnown(key.symbol());
            return ApiProblemException.notFound(
                    "model_version",
                    "No champion model is registered for interval " + key.interval()
                            + "; pass model_version to read a version's predictions.");
        });
    }

    /** 404 either way; the detail says whether the symbol is unknown or just has no rows in this series. */
    private ApiProblemException noData(SeriesKey key, String what) {
        symbols.requireKnown(key.symbol());
        return ApiProblemException.notFound(
                "symbol", "No " + what + " for " + key.symbol() + " on " + key.exchange() + " " + key.interval() + ".");
    }
}
