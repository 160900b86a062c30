package io.chronoprice.api.live;

import io.chronoprice.api.price.PredictionView;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The one shared poller behind every live stream: every {@code chronoprice.live.poll-interval} it reads rows
 * written since its previous poll and multicasts them, so the database sees three small queries (its clock and two
 * index-backed reads) per interval however many clients listen, and none at all when nobody does.
 */
@Singleton
public class LiveFeed {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    private final LiveRepository repository;
    private final LiveProperties properties;
    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();
    /** Events already pushed, by id, with the poll time that pushed them. */
    private final Map<String, Instant> pushed = new HashMap<>();

    private Instant lastPoll;

    LiveFeed(LiveRepository repository, LiveProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    Flux<LiveEvent> events() {
        return sink.asFlux();
    }

    /** Subscribers of the feed: one per connected live stream. */
    int clients() {
        return sink.currentSubscriberCount();
    }

    /** Runs on the scheduler, one poll at a time (fixed delay), so the fields need no locking. */
    @Scheduled(fixedDelay = "${chronoprice.live.poll-interval:250ms}", initialDelay = "1s")
    public void poll() {
        if (clients() == 0) {
            // Nobody listens: forget the position, so the next listener is not flooded with old rows.
            lastPoll = null;
            pushed.clear();
            return;
        }
        try {
            Instant now = repository.now();
            Instant since = (lastPoll == null ? now : lastPoll).minus(properties.lookback());
            publish(LiveEvent.PREDICTION, repository.predictionsCreatedAfter(since), now);
            publish(LiveEvent.OUTCOME, repository.outcomesResolvedAfter(since), now);
            // Rows older than the next poll's start cannot come back, so their keys can go.
            pushed.values().removeIf(pushedAt -> pushedAt.isBefore(since));
            lastPoll = now;
        } catch (DataAccessException | CannotGetJdbcConnectionException e) {
            LOG.warn("Live feed poll failed; retrying at the next interval", e);
        }
    }

    private void publish(String kind, List<PredictionView> rows, Instant now) {
        for (PredictionView row : rows) {
            LiveEvent event = new LiveEvent(kind, row);
            if (pushed.putIfAbsent(event.id(), now) == null) {
                sink.tryEmitNext(event);
            }
        }
    }
}
