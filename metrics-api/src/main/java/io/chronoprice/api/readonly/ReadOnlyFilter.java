package io.chronoprice.api.readonly;

import io.chronoprice.api.problem.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.HttpServerConfiguration;

/**
 * The API only reads, on every path:
 *
 * <ul>
 *   <li>a request whose declared body ({@code Content-Length}) is larger than {@code micronaut.server.max-request-size}
 *       is a 413 problem, whatever its method: Micronaut only checks the size of a body it reads, and no route here
 *       reads one, so it would otherwise be received and dropped;
 *   <li>every method but GET and HEAD is a 405 problem. Routes would refuse other methods by themselves, but the
 *       static files (the live page, the webjars, Swagger UI and the OpenAPI file) are looked up by path alone and
 *       would answer a POST, PUT or DELETE with the file.
 * </ul>
 *
 * Ordered with the security filters: after the metrics and the disclaimer, which then see these refusals too.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ReadOnlyFilter implements Ordered {

    static final String ALLOWED = "GET, HEAD";

    private final long maxRequestSize;

    public ReadOnlyFilter(HttpServerConfiguration server) {
        this.maxRequestSize = server.getMaxRequestSize();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> refuseWrites(HttpRequest<?> request) {
        if (request.getContentLength() > maxRequestSize) {
            return Problems.response(
                    HttpStatus.REQUEST_ENTITY_TOO_LARGE, Problems.detail(HttpStatus.REQUEST_ENTITY_TOO_LARGE), null);
        }
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return null;
        }
        return Problems.response(HttpStatus.METHOD_NOT_ALLOWED, Problems.READ_ONLY, null)
                .header(HttpHeaders.ALLOW, ALLOWED);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
