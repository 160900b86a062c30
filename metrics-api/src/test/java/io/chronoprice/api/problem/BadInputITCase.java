package io.chronoprice.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each kind of bad input gets a 400/404 problem body naming the parameter; never a 5xx or a stack trace. */
@MicronautTest(transactional = false)
class BadInputITCase extends ApiITCaseSupport {

    private static final String INJECTION = "BTC'; DROP TABLE candles;--";

    @Inject
    EmbeddedServer server;

    @Inject
    ObjectMapper json;

    // A plain JDK client, so the raw status, headers and body are seen exactly as any client sees them.
    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest(name = "{0}?{1} -> {2} {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/price/latest     |                                               | 400 | symbol",
                "/price/latest     | symbol=INJECTION                              | 400 | symbol",
                "/price/latest     | symbol=B                                      | 400 | symbol",
                "/price/latest     | symbol=DOGEUSDT                               | 404 | symbol",
                "/price/latest     | symbol=BTCUSDT&interval=7x                    | 400 | interval",
                "/price/latest     | symbol=BTCUSDT&exchange=INJECTION             | 400 | exchange",
                "/price/prediction | symbol=NOPE-USDT                              | 404 | symbol",
                "/price/prediction | symbol=BTCUSDT&model_version=INJECTION        | 400 | model_version",
                "/price/history    | symbol=BTCUSDT&from=yesterday                 | 400 | from",
                "/price/history    | symbol=BTCUSDT&to=2021-13-01T00:00:00Z        | 400 | to",
                "/price/history    | symbol=BTCUSDT&from=2021-05-15T00:00:00Z&to=2021-05-14T00:00:00Z | 400 | from",
                "/price/history    | symbol=BTCUSDT&limit=0                        | 400 | limit",
                "/price/history    | symbol=BTCUSDT&limit=5001                     | 400 | limit",
                "/price/history    | symbol=BTCUSDT&limit=ten                      | 400 | limit",
                "/price/history    | symbol=BTCUSDT&cursor=INJECTION               | 400 | cursor",
                // Parsed by Java but outside what PostgreSQL stores: once a failed query (503), now refused up front.
                "/price/history    | symbol=BTCUSDT&from=%2B10000-01-01T00:00:00Z   | 400 | from",
                "/price/history    | symbol=BTCUSDT&to=-999999999-01-01T00:00:00Z  | 400 | to",
                // Cursors of a NUL in the version and of a time in the year 3 million.
                "/price/history    | symbol=BTCUSDT&cursor=MTYyMDk1MDQwMC4wfGxzdG0tdjEA | 400 | cursor",
                "/price/history    | symbol=BTCUSDT&cursor=OTk5OTk5OTk5OTk5OTkuMHxsc3RtLXYx | 400 | cursor",
                "/price/history    | symbol=SOLUSDT                                | 404 | symbol",
                "/metrics/model    | symbol=BTCUSDT&window=2h                      | 400 | window",
                "/metrics/model    | symbol=BTCUSDT&window=INJECTION               | 400 | window",
                "/metrics/model    | symbol=XYZUSDT                                | 404 | symbol",
                "/live             | symbol=INJECTION                              | 400 | symbol",
                "/live             | symbol=XYZUSDT                                | 404 | symbol",
                "/live             | symbol=BTCUSDT&model_version=INJECTION        | 400 | model_version",
                "/price/history    | symbol=BTCUSDT&model_version=INJECTION        | 400 | model_version",
            })
    void isRefusedWithAProblemNamingTheParameter(String path, String query, int status, String parameter)
            throws Exception {
        String encoded =
                query == null ? "" : query.replace("INJECTION", URLEncoder.encode(INJECTION, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.getURL() + path + "?" + encoded))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue(DisclaimerFilter.HEADER)).contains(DisclaimerFilter.TEXT);
        assertThat(response.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("SQL");
        @SuppressWarnings("unchecked")
        Map<String, Object> problem = json.readValue(response.body(), Map.class);
        assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
        assertThat(problem).containsEntry("parameter", parameter).containsKeys("title", "detail");
    }

    @AfterAll
    void injectionLeftTheTablesAlone() throws Exception {
        try (Connection c = TestDatabase.writer();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM candles WHERE exchange = '" + SeedData.EXCHANGE
                        + "' AND symbol = 'BTCUSDT'")) {
            rs.next();
            assertThat(rs.getLong(1))
                    .isEqualTo(TestDatabase.seed().candles("BTCUSDT").size());
        }
    }
}
