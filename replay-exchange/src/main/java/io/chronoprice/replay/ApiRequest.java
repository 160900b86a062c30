package io.chronoprice.replay;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The parts of an HTTP request the exchange endpoints look at: the path and the decoded query parameters. */
public record ApiRequest(String path, Map<String, String> query) {
    public ApiRequest {
        query = Map.copyOf(query);
    }

    static ApiRequest of(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                // The first occurrence wins, so a repeated parameter cannot override an already validated one.
                query.putIfAbsent(name, value);
            }
        }
        return new ApiRequest(uri.getPath(), query);
    }

    /** The parameter's value; an empty value counts as absent, as the exchanges treat {@code ?symbol=}. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A broken %-escape is kept verbatim; the parameter's own validation then rejects it with a 400.
            return s;
        }
    }
}
