package io.chronoprice.api.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns a refused request into a 400/404 problem body naming the parameter. */
@Singleton
@Requires(classes = {ApiProblemException.class, ExceptionHandler.class})
public final class ApiProblemHandler implements ExceptionHandler<ApiProblemException, HttpResponse<ApiProblem>> {

    @Override
    public HttpResponse<ApiProblem> handle(HttpRequest request, ApiProblemException e) {
        return Problems.response(e.status(), e.getMessage(), e.parameter());
    }
}
