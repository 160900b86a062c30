package io.chronoprice.api.live;

import io.chronoprice.api.price.PredictionView;
import io.chronoprice.api.problem.Params;
import io.chronoprice.api.symbols.SeriesKey;
import io.chronoprice.api.symbols.SymbolRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import org.reactivestreams.Publisher;

/**
 * {@code GET /live?symbol=}: a Server-Sent Events stream of one series' new predictions and resolved outcomes
 * (see README for the message format): the champion's, or one named version's with {@code model_version}.
 */
@Controller("/live")
public class LiveController {

    /** Per-client buffer; a client that falls this far behind is disconnected (EventSource reconnects). */
    private static final int CLIENT_BUFFER = 1024;

    private final LiveFeed feed;
    private final SymbolRepository symbols;

    public LiveController(LiveFeed feed, SymbolRepository symbols) {
        this.feed = feed;
        this.symbols = symbols;
    }

    @Operation(
            summary = "Server-Sent Events: 'prediction' and 'outcome' events of one series",
            description = "The champion's rows (the served forecast), following promotions while the stream is"
                    + " open, unless model_version names one version.")
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Publisher<Event<PredictionView>> stream(
            @Nullable @QueryValue String symbol,
            @Nullable @QueryValue String exchange,
            @Nullable @QueryValue String interval,
            @Nullable @QueryValue("model_version") String modelVersion) {
        SeriesKey key = SeriesKey.parse(symbol, exchange, interval);
        String version = Params.modelVersion(modelVersion);
        symbols.requireKnown(key.symbol());
        return feed.events()
                .filter(event -> event.belongsTo(key) && event.isOf(version))
                .onBackpressureBuffer(CLIENT_BUFFER)
                .map(event -> Event.of(event.row()).name(event.kind()).id(event.id()));
    }
}
