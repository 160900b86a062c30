package io.chronoprice.api.problem;

import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed query is the server's problem, never the client's: 503 with a problem body, the cause logged here
 * and not echoed (SQL and driver messages stay out of responses). Micronaut Data reports a failed statement as a
 * {@link DataAccessException} and a connection the pool could not give as a
 * {@link CannotGetJdbcConnectionException} (handled by {@link NoConnection}).
 */
@Singleton
public final class DatabaseUnavailableHandler
        implements ExceptionHandler<DataAccessException, HttpResponse<ApiProblem>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    @Override
    public HttpResponse<ApiProblem> handle(HttpRequest request, DataAccessException e) {
        return unavailable(request, e);
    }

    static HttpResponse<ApiProblem> unavailable(HttpRequest<?> request, RuntimeException e) {
        LOG.error("Query failed for {}", request.getPath(), e);
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "The database could not answer the request.", null);
    }

    /** The same 503 when no connection could be had at all (database down, pool exhausted). */
    @Singleton
    public static final class NoConnection
            implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<ApiProblem>> {

        @Override
        public HttpResponse<ApiProblem> handle(HttpRequest request, CannotGetJdbcConnectionException e) {
            return unavailable(request, e);
        }
    }
}
