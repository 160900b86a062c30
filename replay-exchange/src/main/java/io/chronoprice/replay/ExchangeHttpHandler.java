package io.chronoprice.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Connects one {@link ExchangeApi} to the JDK HTTP server: applies the injected {@link Faults}, turns any unexpected
 * exception into the exchange's own 500 body (never a stack trace on the wire), and writes the response.
 *
 * <p>A malformed body is a complete response whose body is the first half of the real JSON, so it cannot parse. A
 * truncated body announces the full {@code Content-Length} but the connection is closed after half of it, which is
 * what a client sees when a connection drops mid-response.
 */
final class ExchangeHttpHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(ExchangeHttpHandler.class.getName());

    private final ExchangeApi api;
    private final Faults faults;

    ExchangeHttpHandler(ExchangeApi api, Faults faults) {
        this.api = api;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Faults.Decision fault = faults.next();
            if (fault.delayMillis() > 0) {
                Thread.sleep(fault.delayMillis());
            }
            write(exchange, respond(exchange, fault), fault.kind());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private ApiResponse respond(HttpExchange exchange, Faults.Decision fault) {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return api.error(405);
        }
        return switch (fault.kind()) {
            case SERVER_ERROR -> api.error(fault.status());
            case TOO_MANY_REQUESTS ->
                api.error(429).withHeader("Retry-After", Integer.toString(fault.retryAfterSeconds()));
            case NONE, MALFORMED_BODY, TRUNCATED_BODY -> handleSafely(exchange);
        };
    }

    private ApiResponse handleSafely(HttpExchange exchange) {
        try {
            return api.handle(ApiRequest.of(exchange.getRequestURI()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "request " + exchange.getRequestURI() + " failed", e);
            return api.error(500);
        }
    }

    private static void write(HttpExchange exchange, ApiResponse response, Faults.Kind fault) throws IOException {
        byte[] body = response.jsonBody().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        response.headers()
                .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        switch (fault) {
            case MALFORMED_BODY -> {
                // Every body is a JSON object or array of at least two characters, so half of it never parses.
                byte[] half = Arrays.copyOf(body, body.length / 2);
                exchange.sendResponseHeaders(response.status(), half.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(half);
                }
            }
            case TRUNCATED_BODY -> {
                exchange.sendResponseHeaders(response.status(), body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                // Closing the exchange (not the stream) short of the announced length makes the JDK server close the
                // connection; closing the stream first would leave the client waiting for the missing bytes forever.
                exchange.close();
            }
            default -> {
                exchange.sendResponseHeaders(response.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
