package io.chronoprice.api.problem;

import io.chronoprice.api.sql.DatabaseException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed query is the server's problem, never the client's: 503 with a problem body, the cause logged here
 * and not echoed (SQL and driver messages stay out of responses).
 */
@Singleton
@Requires(classes = {DatabaseException.class, ExceptionHandler.class})
public final class DatabaseUnavailableHandler implements ExceptionHandler<DatabaseException, HttpResponse<ApiProblem>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    @Override
    public HttpResponse<ApiProblem> handle(HttpRequest request, DatabaseException e) {
        LOG.error("Query failed for {}", request.getPath(), e);
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "The database could not answer the request.", null);
    }
}
