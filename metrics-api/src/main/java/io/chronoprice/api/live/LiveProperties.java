package io.chronoprice.api.live;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Tuning of the live feed ({@code chronoprice.live.*}).
 *
 * @param pollInterval the pause between the end of one poll of the database and the start of the next, while
 *     somebody listens; the longest a written row waits to be pushed, besides the query itself
 * @param lookback how far each poll looks back past the previous one: rows stamped before a writer's
 *     transaction committed (created_at is the transaction start) become visible late, and are still caught
 *     if they commit within this time
 * @param heartbeat how often each stream gets a comment line when nothing else is sent, the first one at once: a
 *     quiet series then still shows a live connection, idle timeouts of proxies do not close it, and the server
 *     notices a client that left within this time
 */
@ConfigurationProperties("chronoprice.live")
public record LiveProperties(
        @Bindable(defaultValue = "250ms") Duration pollInterval,
        @Bindable(defaultValue = "2s") Duration lookback,
        @Bindable(defaultValue = "15s") Duration heartbeat) {}
