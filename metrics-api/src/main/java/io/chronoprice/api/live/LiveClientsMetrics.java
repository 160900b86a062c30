package io.chronoprice.api.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * {@code chronoprice.live.clients}: the number of live streams ({@code GET /live}) connected right now, which is what
 * the shared poller's load and the push fan-out grow with. Micronaut binds every {@link MeterBinder} bean to its
 * registry.
 */
@Singleton
class LiveClientsMetrics implements MeterBinder {

    static final String LIVE_CLIENTS = "chronoprice.live.clients";

    private final LiveFeed feed;

    LiveClientsMetrics(LiveFeed feed) {
        this.feed = feed;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(LIVE_CLIENTS, feed, LiveFeed::clients)
                .description("Server-sent event streams of /live connected now")
                .register(registry);
    }
}
