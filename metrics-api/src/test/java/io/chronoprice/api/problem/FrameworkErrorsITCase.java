package io.chronoprice.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.RawHttp;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Micronaut itself answers (no route, wrong method, unacceptable Accept, oversized or malformed request) is a
 * problem body like the API's own errors: the right status, {@code application/problem+json}, a fixed detail that
 * names nothing the client sent. Over a bare socket, since the usual clients refuse to send most of these.
 */
@MicronautTest(transactional = false)
class FrameworkErrorsITCase extends ApiITCaseSupport {

    @Inject
    EmbeddedServer server;

    @Inject
    ObjectMapper json;

    @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // No route, no file.
                "GET    | /no/such/path                           |                         | 404",
                "GET    | /application.yml                        |                         | 404",
                "GET    | /beans                                  |                         | 404",
                "GET    | /metrics/jvm.memory.used                |                         | 404",
                // Every method but GET and HEAD, on routes and static files alike.
                "POST   | /                                       |                         | 405",
                "PUT    | /index.html                             |                         | 405",
                "DELETE | /app.js                                 |                         | 405",
                "PATCH  | /style.css                              |                         | 405",
                "POST   | /swagger/chronoprice-metrics-api-0.1.0.yml |                      | 405",
                "DELETE | /swagger-ui/index.html                  |                         | 405",
                "PUT    | /webjars/uplot/1.6.30/LICENSE           |                         | 405",
                "POST   | /price/latest?symbol=BTCUSDT            |                         | 405",
                "DELETE | /symbols                                |                         | 405",
                "PATCH  | /live?symbol=BTCUSDT                    |                         | 405",
                "POST   | /health                                 |                         | 405",
                "OPTIONS | /models                                |                         | 405",
                // Media types the route cannot send.
                "GET    | /price/latest?symbol=BTCUSDT            | Accept: application/xml | 406",
                "GET    | /metrics/model?symbol=BTCUSDT           | Accept: text/html       | 406",
                "GET    | /live?symbol=BTCUSDT                    | Accept: application/json | 406",
                // Undecodable percent-encoding, in the query and in the path.
                "GET    | /price/latest?symbol=%zz                |                         | 400",
                "GET    | /price/latest?symbol=BTC%E2%82          |                         | 400",
                "GET    | /price/%zz                              |                         | 400",
                // A bad parameter type.
                "GET    | /price/history?symbol=BTCUSDT&limit=1e3 |                         | 400",
            })
    void isAProblemWithTheRightStatus(String method, String target, String header, int status) throws Exception {
        RawHttp.Response response = send(method + " " + target, header == null ? "" : header + "\r\n", new byte[0]);

        assertProblem(response, status);
        assertThat(response.body()).doesNotContain(target);
        if (status == 405) {
            assertThat(response.header("Allow")).contains("GET, HEAD");
        }
    }

    @Test
    void aDeclaredBodyLargerThanTheLimitIsA413WhateverTheMethod() throws Exception {
        byte[] body = new byte[11 * 1024 * 1024];

        assertProblem(send("GET /price/latest?symbol=BTCUSDT", "", body), 413);
        assertProblem(send("POST /index.html", "", body), 413);
        // A small body on a GET is ignored, as before.
        assertThat(send("GET /price/latest?symbol=BTCUSDT", "", "{}".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void headersLargerThanTheServerAcceptsAreAProblemToo() throws Exception {
        assertProblem(
                send("GET /price/latest?symbol=BTCUSDT", "X-Big: " + "a".repeat(20_000) + "\r\n", new byte[0]), 413);
        assertProblem(send("GET /" + "a".repeat(5_000), "", new byte[0]), 413);
    }

    @Test
    void getAndHeadStillServeTheStaticFiles() throws Exception {
        assertThat(send("GET /index.html", "", new byte[0]).status()).isEqualTo(200);
        RawHttp.Response head = new RawHttp(server.getHost(), server.getPort(), Duration.ofSeconds(10))
                .exchange(head("HEAD /index.html", "", 0), new byte[0], true);
        assertThat(head.status()).isEqualTo(200);
    }

    private RawHttp.Response send(String requestLine, String headers, byte[] body) {
        return new RawHttp(server.getHost(), server.getPort(), Duration.ofSeconds(20))
                .exchange(head(requestLine, headers, body.length), body, false);
    }

    private static byte[] head(String requestLine, String headers, int contentLength) {
        return (requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                        + (contentLength > 0 ? "Content-Length: " + contentLength + "\r\n" : "")
                        + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private void assertProblem(RawHttp.Response response, int status) throws Exception {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith(Problems.MEDIA_TYPE));
        assertThat(response.header(DisclaimerFilter.HEADER)).contains(DisclaimerFilter.TEXT);
        @SuppressWarnings("unchecked")
        Map<String, Object> problem = json.readValue(response.body(), Map.class);
        assertThat(problem).containsEntry("type", "about:blank").containsKeys("title", "detail");
        assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
        assertThat((String) problem.get("detail")).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
