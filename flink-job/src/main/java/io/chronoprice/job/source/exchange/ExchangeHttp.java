package io.chronoprice.job.source.exchange;

import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One blocking GET against an exchange's REST base URI, with the outcome sorted into what the caller does next:
 * a body, a {@link RetryableExchangeException} (5xx, timeouts, connection errors), a {@link RateLimitedException}
 * (429/418 with Retry-After) or an {@link ExchangeException} (any other status: a configuration error). Retrying is
 * the caller's job, so that a wait never blocks a split reader's wake-up.
 */
public final class ExchangeHttp implements AutoCloseable {
    /** Used when a 429/418 carries no usable Retry-After header. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    /** Binance's request weight used by this IP in the current minute. */
    static final String USED_WEIGHT_HEADER = "X-MBX-USED-WEIGHT-1m";

    private static final int MAX_BODY_IN_MESSAGE = 200;

    private final URI baseUri;
    private final Duration requestTimeout;
    private final HttpClient client;

    public ExchangeHttp(URI baseUri, Duration requestTimeout) {
        this.baseUri = checkNotNull(baseUri, "baseUri");
        this.requestTimeout = checkNotNull(requestTimeout, "requestTimeout");
        this.client = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** A successful response: its body and the headers the clients look at. */
    public record Response(String body, OptionalInt usedWeight) {}

    /** GETs {@code pathAndQuery} (starting with '/') relative to the base URI. */
    public Response get(String pathAndQuery) throws IOException, InterruptedException {
        URI uri = resolve(pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        // HttpRequest.timeout() only covers the response headers; a body that stalls half-way (a dropped
        // connection) is bounded by waiting for the whole exchange with the same timeout.
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new RetryableExchangeException("Timed out after " + requestTimeout + " on GET " + uri, e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            // Connection refused/reset, timeouts, or a body cut off mid-stream: all transient for a client.
            throw new RetryableExchangeException("GET " + uri + " failed: " + e.getCause(), e.getCause());
        }
        int status = response.statusCode();
        if (status == 200) {
            return new Response(response.body(), usedWeight(response));
        }
        String message = "GET " + uri + " returned " + status + ": " + abbreviate(response.body());
        if (status == 429 || status == 418) {
            throw new RateLimitedException(message, retryAfter(response));
        }
        if (status >= 500 || status == 408) {
            throw new RetryableExchangeException(message);
        }
        throw new ExchangeException(message);
    }

    private URI resolve(String pathAndQuery) {
        String base = baseUri.toString();
        return URI.create(
                base.endsWith("/") ? base.substring(0, base.length() - 1) + pathAndQuery : base + pathAndQuery);
    }

    private static OptionalInt usedWeight(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue(USED_WEIGHT_HEADER);
        if (header.isPresent()) {
            try {
                return OptionalInt.of(Integer.parseInt(header.get().trim()));
            } catch (NumberFormatException e) {
                // A garbled header must not fail a good response; throttling then just waits for the next one.
            }
        }
        return OptionalInt.empty();
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        // Both exchanges send delta-seconds; an HTTP-date or a missing header falls back to a short default.
        return response.headers()
                .firstValue("Retry-After")
                .map(String::trim)
                .filter(v -> v.matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .orElse(DEFAULT_RETRY_AFTER);
    }

    static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    @Override
    public void close() {
        // HttpClient implements AutoCloseable only from Java 21; on 17 its threads end with the client.
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Closing is best effort: the client holds no state that must be flushed.
            }
        }
    }
}
