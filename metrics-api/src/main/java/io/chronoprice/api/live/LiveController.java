package io.chronoprice.api.live;

import io.chronoprice.api.problem.Params;
import io.chronoprice.api.problem.ProblemResponses;
import io.chronoprice.api.symbols.SeriesKey;
import io.chronoprice.api.symbols.SeriesQuery;
import io.chronoprice.api.symbols.SymbolRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * {@code GET /live?symbol=}: a Server-Sent Events stream of one series' new predictions and resolved outcomes
 * (see README for the message format): the champion's, or one named version's with {@code model_version}. Between
 * them a comment line {@code : heartbeat}, at once and then every {@code chronoprice.live.heartbeat}.
 */
@Controller("/live")
public class LiveController {

    /** Per-client buffer; a client that falls this far behind is disconnected (EventSource reconnects). */
    private static final int CLIENT_BUFFER = 1024;

    /** The comment of each heartbeat; comments are not events, so EventSource and clients never see them. */
    static final String HEARTBEAT = "heartbeat";

    private final LiveFeed feed;
    private final SymbolRepository symbols;
    private final LiveProperties properties;

    public LiveController(LiveFeed feed, SymbolRepository symbols, LiveProperties properties) {
        this.feed = feed;
        this.symbols = symbols;
        this.properties = properties;
    }

    @Operation(
            summary = "Server-Sent Events: 'prediction' and 'outcome' events of one series",
            description = "The champion's rows (the served forecast), following promotions while the stream is"
                    + " open, unless model_version names one version.")
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @ProblemResponses.ForSeries
    public Publisher<Event<?>> stream(
            @RequestBean SeriesQuery series,
            @Parameter(description = Params.MODEL_VERSION_DOC, schema = @Schema(pattern = Params.MODEL_VERSION_PATTERN))
                    @Nullable
                    @QueryValue("model_version")
                    String modelVersion) {
        SeriesKey key = series.key();
        String version = Params.modelVersion(modelVersion);
        symbols.requireKnown(key.symbol());
        Flux<Event<?>> rows = feed.events()
                .filter(event -> event.belongsTo(key) && event.isOf(version))
                .onBackpressureBuffer(CLIENT_BUFFER)
                .<Event<?>>map(event -> Event.of(event.row()).name(event.kind()).id(event.id()));
        // The server sends a stream's response head with its first message, so the first heartbeat goes at once:
        // without it a client of a quiet series would wait for headers until the series' next row. A heartbeat
        // that finds the client slow is dropped, not queued: the next one does the same job.
        Flux<Event<?>> heartbeats = Flux.interval(Duration.ZERO, properties.heartbeat())
                .onBackpressureDrop()
                .<Event<?>>map(tick -> Event.of("").comment(HEARTBEAT));
        return Flux.merge(heartbeats, rows);
    }
}
