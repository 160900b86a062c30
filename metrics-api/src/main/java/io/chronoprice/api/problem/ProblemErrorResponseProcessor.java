package io.chronoprice.api.problem;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * The body of every error Micronaut itself answers (no route, wrong method, unacceptable Accept, oversized or
 * malformed request, an unexpected exception): the same problem shape and media type as the API's own errors, with
 * a fixed detail per status. Micronaut's messages are not used, because they quote the request (URI, method, Accept
 * header) back; a problem body never echoes what the client sent. It carries the disclaimer header itself. Micronaut's default processor steps aside for any
 * other {@link ErrorResponseProcessor} bean.
 */
@Singleton
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<ApiProblem> {

    @Override
    public MutableHttpResponse<ApiProblem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        // A request Netty could not decode (request line, headers, framing) never reaches the filters.
        response.getHeaders().set(DisclaimerFilter.HEADER, DisclaimerFilter.TEXT);
        return response.body(new ApiProblem("about:blank", response.reason(), status, Problems.detail(status), null))
                .contentType(Problems.MEDIA_TYPE);
    }
}
