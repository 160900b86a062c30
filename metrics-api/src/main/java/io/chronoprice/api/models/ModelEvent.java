package io.chronoprice.api.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * One change in a model version's lifecycle, as {@code model_events} records it.
 *
 * @param event {@code added}, {@code promoted}, {@code demoted} or {@code retired}
 * @param actor who made the change: a user of the {@code model} command, or the automatic promotion rule
 * @param reason the {@code reason} of the event's detail, when it gives one
 * @param detail the event's whole detail object, as written
 */
@Serdeable
public record ModelEvent(
        String event, String actor, Instant at, @Nullable String reason, Map<String, Object> detail) {}
