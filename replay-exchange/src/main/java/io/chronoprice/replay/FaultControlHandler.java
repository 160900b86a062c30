package io.chronoprice.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /replay/faults}: switches the fault knobs of a running exchange, so that a test or a demo can turn an
 * exchange bad and good again without a restart. {@code POST /replay/faults?fault-malformed=0.2&fault-5xx=0.1}
 * replaces the whole configuration (parameters are the command-line fault options without the dashes; the ones not
 * given take their defaults, so a POST without parameters switches every fault off); {@code GET} shows the current
 * one. Answers are JSON; a bad parameter is a 400 and changes nothing. This path is never faulty itself, and it is
 * not part of either exchange's API.
 */
final class FaultControlHandler implements HttpHandler {
    static final String PATH = "/replay/faults";

    private static final System.Logger LOG = System.getLogger(FaultControlHandler.class.getName());

    private final Faults faults;

    FaultControlHandler(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                write(exchange, 404, "{\"msg\":\"not found\"}");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> write(exchange, 200, json(faults.config()));
                case "POST" -> configure(exchange);
                default -> write(exchange, 405, "{\"msg\":\"GET or POST\"}");
            }
        } finally {
            exchange.close();
        }
    }

    private void configure(HttpExchange exchange) throws IOException {
        FaultConfig config = FaultConfig.NONE;
        try {
            for (Map.Entry<String, String> p :
                    ApiRequest.of(exchange.getRequestURI()).query().entrySet()) {
                config = CliOptions.withFault(config, "--" + p.getKey(), p.getValue());
            }
        } catch (IllegalArgumentException e) {
            write(exchange, 400, "{\"msg\":" + Json.quote(e.getMessage()) + "}");
            return;
        }
        faults.configure(config);
        LOG.log(Level.INFO, "faults set to {0}", config);
        write(exchange, 200, json(config));
    }

    private static String json(FaultConfig c) {
        return String.format(
                Locale.ROOT,
                "{\"fault-5xx\":%s,\"fault-429\":%s,\"retry-after\":%d,\"fault-malformed\":%s,\"fault-truncated\":%s,"
                        + "\"delay-ms\":%d,\"delay-fraction\":%s,\"seed\":%d}",
                c.serverErrorFraction(),
                c.tooManyRequestsFraction(),
                c.retryAfterSeconds(),
                c.malformedBodyFraction(),
                c.truncatedBodyFraction(),
                c.delayMillis(),
                c.delayFraction(),
                c.seed());
    }

    private static void write(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
