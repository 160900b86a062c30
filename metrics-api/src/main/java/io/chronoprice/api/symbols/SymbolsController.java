package io.chronoprice.api.symbols;

import io.chronoprice.api.problem.ProblemResponses;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/** {@code GET /symbols}: the tracked series with their latest candle and prediction and their staleness. */
@Controller("/symbols")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SymbolsController {

    private final SymbolRepository symbols;

    public SymbolsController(SymbolRepository symbols) {
        this.symbols = symbols;
    }

    @Get
    @ProblemResponses.ForEveryEndpoint
    public List<TrackedSeries> list() {
        return symbols.tracked();
    }
}
