package io.chronoprice.api.disclaimer;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Stamps the educational-use disclaimer on every response: data, errors, health, streams and static files. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class DisclaimerFilter {

    public static final String HEADER = "X-ChronoPrice-Disclaimer";
    public static final String TEXT = "Educational demo, not trading advice";

    @ResponseFilter
    public void addDisclaimer(MutableHttpResponse<?> response) {
        response.header(HEADER, TEXT);
    }
}
