package io.chronoprice.api.problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON problem body (RFC 9457 fields, plus the offending query parameter) of every error response.
 *
 * @param parameter the request parameter that was rejected, or null when the problem is not about one
 */
@Serdeable
public record ApiProblem(
        String type,
        String title,
        int status,
        String detail,
        @Nullable String parameter) {}
