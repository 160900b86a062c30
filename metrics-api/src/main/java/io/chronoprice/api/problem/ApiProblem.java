package io.chronoprice.api.problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The JSON problem body (RFC 9457 fields, plus the offending query parameter) of every error response. The parameter
 * descriptions are the OpenAPI spec's.
 *
 * @param type always about:blank: the status says what kind of problem it is
 * @param title the status's reason phrase, e.g. Bad Request
 * @param status the HTTP status code
 * @param detail what was wrong, in plain words; never a copy of the request or a stack trace
 * @param parameter the query parameter that was refused, or null when the problem is not about one
 */
@Serdeable
@Schema(name = "Problem", description = "RFC 9457 problem details, sent as application/problem+json.")
public record ApiProblem(
        String type,
        String title,
        int status,
        String detail,
        @Nullable String parameter) {}
