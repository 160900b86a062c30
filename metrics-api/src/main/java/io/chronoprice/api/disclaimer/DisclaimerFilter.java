package io.chronoprice.api.disclaimer;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Stamps the educational-use disclaimer on every response: data, errors, health, streams and static files. First of
 * all filters, so that it also sees the responses a later filter answers with by itself (the read-only filter's 405
 * and 413): filters after the one that answers do not run.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class DisclaimerFilter implements Ordered {

    public static final String HEADER = "X-ChronoPrice-Disclaimer";
    public static final String TEXT = "Educational demo, not trading advice";

    @ResponseFilter
    public void addDisclaimer(MutableHttpResponse<?> response) {
        // Set, not added: an error body may carry it already.
        response.getHeaders().set(HEADER, TEXT);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
