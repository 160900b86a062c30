package io.chronoprice.api.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedArgumentHandler;
import jakarta.inject.Singleton;

/**
 * A required query parameter that is absent (a non-null {@code @QueryValue}, which the OpenAPI spec then marks
 * required; the API binds nothing else) is the same 400 problem naming the parameter as a blank one
 * ({@link Params#required}), not Micronaut's generic one.
 */
@Singleton
@Replaces(UnsatisfiedArgumentHandler.class)
public final class MissingParameterHandler
        implements ExceptionHandler<UnsatisfiedArgumentException, HttpResponse<ApiProblem>> {

    @Override
    public HttpResponse<ApiProblem> handle(HttpRequest request, UnsatisfiedArgumentException e) {
        String name = e.getArgument().getName();
        return Problems.response(HttpStatus.BAD_REQUEST, Params.requiredDetail(name), name);
    }
}
