package io.chronoprice.api.live;

import io.chronoprice.api.price.PredictionView;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The one shared poller behind every live stream: every {@code chronoprice.live.poll-interval} it reads rows
 * written since its previous poll and multicasts them, so the database sees three small queries (its clock and two
 * index-backed reads) per interval however many clients listen. It runs from the first listener's arrival until the
 * last one leaves: an API nobody streams from does not wake four times a second to find that out.
 */
@Singleton
public class LiveFeed {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    private final LiveRepository repository;
    private final LiveProperties properties;
    /**
     * Resolved at the first listener, not here: creating the scheduler binds its executor's metrics to the meter
     * registry, whose binders include {@link LiveClientsMetrics}, which needs this feed.
     */
    private final BeanProvider<TaskScheduler> scheduler;

    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();
    private final Flux<LiveEvent> events;

    /** Guards {@link #listeners} and {@link #polling}. */
    private final Object lock = new Object();
    /** Serializes polls: the sink takes one emitter at a time, and a cancelled poller may still be finishing. */
    private final Object pollLock = new Object();

    private int listeners;
    private @Nullable ScheduledFuture<?> polling;

    LiveFeed(
            LiveRepository repository,
            LiveProperties properties,
            @Named(TaskExecutors.SCHEDULED) BeanProvider<TaskScheduler> scheduler) {
        this.repository = repository;
        this.properties = properties;
        this.scheduler = scheduler;
        this.events = sink.asFlux().doOnSubscribe(subscription -> joined()).doFinally(signal -> left());
    }

    Flux<LiveEvent> events() {
        return events;
    }

    /** Subscribers of the feed: one per connected live stream. */
    int clients() {
        return sink.currentSubscriberCount();
    }

    /** Whether the poller is scheduled, which it is exactly while somebody listens. */
    boolean polling() {
        synchronized (lock) {
            return polling != null;
        }
    }

    private void joined() {
        synchronized (lock) {
            if (listeners++ == 0) {
                // The first poll comes one interval after the first listener, like every later one; it looks back
                // past its start, so rows written just before the subscription are pushed too.
                polling = scheduler
                        .get()
                        .scheduleWithFixedDelay(properties.pollInterval(), properties.pollInterval(), new Poller());
            }
        }
    }

    private void left() {
        synchronized (lock) {
            if (--listeners == 0 && polling != null) {
                polling.cancel(false);
                polling = null;
            }
        }
    }

    /**
     * One run of the poller, from a first listener until the last one leaves. Its position goes with it, so the next
     * listener is not flooded with the rows written while nobody listened.
     */
    private final class Poller implements Runnable {

        /** Events already pushed, by id, with the poll time that pushed them. */
        private final Map<String, Instant> pushed = new HashMap<>();

        private @Nullable Instant lastPoll;

        @Override
        public void run() {
            synchronized (pollLock) {
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
                } catch (RuntimeException e) {
                    // Thrown out of run(), it would end the fixed-delay schedule until every listener had left.
                    LOG.error("Live feed poll failed unexpectedly; retrying at the next interval", e);
                }
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
}
