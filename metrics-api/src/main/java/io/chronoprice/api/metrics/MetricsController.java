package io.chronoprice.api.metrics;

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
import java.util.List;

/**
 * {@code GET /metrics/model}: live accuracy per model version, and the champion and challengers compared on the same
 * targets. The window ends at the series' newest prediction target time (not the wall clock), so a replay of
 * historical candles is evaluated the same way as live data.
 */
@Controller("/metrics")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MetricsController {

    /** The predictions' interval is the 10 %-90 % quantile band. */
    private static final double NOMINAL_COVERAGE = 0.8;

    private final MetricsRepository metrics;
    private final SymbolRepository symbols;
    private final ReportCache cache;

    public MetricsController(MetricsRepository metrics, SymbolRepository symbols, ReportCache cache) {
        this.metrics = metrics;
        this.symbols = symbols;
        this.cache = cache;
    }

    @Operation(
            summary = "Served vs raw forecast accuracy per model version, with the naive and volatility baselines",
            description = "Per model version, on the resolved predictions of the window: the served forecast's MAE,"
                    + " RMSE, MAPE, MASE (vs the naive forecast), directional accuracy and 80 % interval coverage (95 %"
                    + " Wilson CIs) and Winkler score (basis points); the raw model's MAE, MASE, directional accuracy,"
                    + " coverage and Winkler score (raw); the rolling- and EWMA-volatility intervals' coverage and"
                    + " Winkler score (baselines); and the mean guard weight. Each version's registry status. Then the"
                    + " champion and every challenger on the resolved targets of the window that all of them predicted:"
                    + " MAE and MASE of each, and the Diebold-Mariano test (absolute-error loss, Newey-West variance)"
                    + " of each challenger against the champion with a plain reading. A report is computed once and"
                    + " served again until a row of its exchange is written (while the API cannot hear the"
                    + " database's writes, for up to the cache TTL, 1 s by default).")
    @Get("/model")
    @ProblemResponses.ForSeries
    public MetricsReport model(
            @RequestBean SeriesQuery series,
            @Parameter(
                            description = "Only this model version; default: every version (the comparison always"
                                    + " covers them all).",
                            schema = @Schema(pattern = Params.MODEL_VERSION_PATTERN))
                    @Nullable
                    @QueryValue("model_version")
                    String modelVersion,
            @Parameter(
                            description = "The evaluation window, counted back from the series' newest prediction"
                                    + " target.",
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"1h", "24h", "7d", "all"},
                                            defaultValue = "24h"))
                    @Nullable
                    @QueryValue
                    String window) {
        SeriesKey key = series.key();
        String model = Params.modelVersion(modelVersion);
        Window span = Window.parse(window);
        // An unknown symbol fails inside: only reports are cached, never a 404.
        return cache.get(new ReportCache.Key(key, span, model), () -> {
            // Every version's metrics, once: the comparison covers them all whatever the filter.
            List<ModelMetrics> versions = metrics.metrics(key, span, null);
            if (versions.isEmpty()) {
                symbols.requireKnown(key.symbol());
            }
            return new MetricsReport(
                    key.exchange(),
                    key.symbol(),
                    key.interval(),
                    span.label(),
                    model,
                    NOMINAL_COVERAGE,
                    model == null
                            ? versions
                            : versions.stream()
                                    .filter(m -> m.modelVersion().equals(model))
                                    .toList(),
                    metrics.comparison(key, span, versions));
        });
    }
}
