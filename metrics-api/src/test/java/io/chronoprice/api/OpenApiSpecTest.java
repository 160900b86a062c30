package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.metrics.Window;
import io.chronoprice.api.problem.Params;
import io.chronoprice.api.problem.Problems;
import io.chronoprice.common.series.CandleInterval;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI spec micronaut-openapi generates at build time ({@code META-INF/swagger/}, served at {@code /swagger/})
 * says what the API does: required parameters marked required, the enums and defaults the code uses, patterns that
 * accept live and backtest series, and the problem+json error responses of each operation.
 */
class OpenApiSpecTest {

    static final String SPEC = "META-INF/swagger/chronoprice-metrics-api-0.1.0.yml";

    /** Operations on one series: symbol, exchange and interval, and every error a series can meet. */
    private static final List<String> SERIES_OPERATIONS =
            List.of("/price/latest", "/price/prediction", "/price/history", "/metrics/model", "/live");

    private static final List<String> LIST_OPERATIONS = List.of("/symbols", "/models");

    private static Map<String, Object> spec;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (InputStream in = OpenApiSpecTest.class.getClassLoader().getResourceAsStream(SPEC)) {
            assertThat(in).as(SPEC + " on the classpath").isNotNull();
            spec = new Yaml().load(in);
        }
    }

    @Test
    void everyOperationIsAReadOnlyGet() {
        assertThat(map(spec, "paths").keySet())
                .containsExactlyInAnyOrderElementsOf(concat(SERIES_OPERATIONS, LIST_OPERATIONS));
        for (Object item : map(spec, "paths").values()) {
            assertThat(((Map<?, ?>) item).keySet()).map(Object::toString).containsExactly("get");
        }
    }

    @Test
    void symbolIsRequiredAndExchangeAndIntervalHaveTheirDefaults() {
        for (String path : SERIES_OPERATIONS) {
            Map<String, Object> symbol = parameter(path, "symbol");
            assertThat(symbol)
                    .as(path + " symbol")
                    .containsEntry("required", true)
                    .containsEntry("in", "query");
            Map<String, Object> exchange = parameter(path, "exchange");
            assertThat(exchange).as(path + " exchange").doesNotContainKey("required");
            assertThat(map(exchange, "schema")).containsEntry("default", "binance");
            Map<String, Object> interval = parameter(path, "interval");
            assertThat(interval).as(path + " interval").doesNotContainKey("required");
            assertThat(map(interval, "schema")).containsEntry("default", "1m");
            // Every other parameter is optional.
            parameters(path).stream()
                    .filter(p -> !p.get("name").equals("symbol"))
                    .forEach(p -> assertThat(p).as(path + " " + p.get("name")).doesNotContainKey("required"));
        }
    }

    @Test
    void intervalsAndWindowsAreEnumsOfWhatTheCodeAccepts() {
        List<String> codes =
                Arrays.stream(CandleInterval.values()).map(CandleInterval::code).toList();
        for (String path : SERIES_OPERATIONS) {
            assertThat(map(parameter(path, "interval"), "schema").get("enum"))
                    .as(path)
                    .isEqualTo(codes);
        }
        assertThat(map(parameter("/metrics/model", "window"), "schema"))
                .containsEntry(
                        "enum",
                        Arrays.stream(Window.values()).map(Window::label).toList())
                .containsEntry("default", "24h");
    }

    @Test
    void patternsAcceptLiveAndBacktestSeriesAndRefuseWhatTheApiRefuses() {
        Pattern exchange = pattern("/price/latest", "exchange");
        Pattern symbol = pattern("/price/latest", "symbol");
        Pattern version = pattern("/price/prediction", "model_version");

        assertThat(List.of("binance", "Coinbase", "binance@demo", "Binance@backtest-20261129.1"))
                .allMatch(e -> exchange.matcher(e).matches());
        assertThat(List.of("x", "binance@", "binance@demo@x", "binance:BTCUSDT", "bin ance"))
                .noneMatch(e -> exchange.matcher(e).matches());
        assertThat(List.of("BTCUSDT", "btc-usd"))
                .allMatch(s -> symbol.matcher(s).matches());
        assertThat(List.of("B", "BTC_USDT", "BTC@X"))
                .noneMatch(s -> symbol.matcher(s).matches());
        assertThat(map(parameter("/price/prediction", "model_version"), "schema"))
                .containsEntry("pattern", Params.MODEL_VERSION_PATTERN);
        assertThat(version.matcher("lstm-1m-v2").matches()).isTrue();
    }

    @Test
    void historyDocumentsItsTimesAndPageSizes() {
        assertThat(map(parameter("/price/history", "from"), "schema")).containsEntry("format", "date-time");
        assertThat(map(parameter("/price/history", "to"), "schema")).containsEntry("format", "date-time");
        // The page sizes of application.yml (chronoprice.history), which HistoryProperties defaults to as well.
        assertThat(map(parameter("/price/history", "limit"), "schema"))
                .containsEntry("type", "integer")
                .containsEntry("minimum", 1)
                .containsEntry("maximum", 5000)
                .containsEntry("default", 500);
    }

    @Test
    void everyOperationDocumentsItsProblemResponses() {
        for (String path : SERIES_OPERATIONS) {
            assertProblems(path, "400", "404", "405", "406", "503");
        }
        for (String path : LIST_OPERATIONS) {
            assertProblems(path, "405", "406", "503");
            assertThat(responses(path)).doesNotContainKeys("400", "404");
        }
        assertThat(map(map(map(responses("/price/latest"), "405"), "headers"), "Allow"))
                .containsEntry("description", "GET, HEAD");
        assertThat(map(map(map(responses("/live"), "200"), "content"), "text/event-stream"))
                .isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProblemSchemaHasTheRfc9457Fields() {
        Map<String, Object> problem = map(map(map(spec, "components"), "schemas"), "Problem");

        assertThat(map(problem, "properties").keySet())
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "parameter");
        assertThat((List<String>) problem.get("required"))
                .containsExactlyInAnyOrder("type", "title", "status", "detail");
        assertThat(map(map(problem, "properties"), "status")).containsEntry("type", "integer");
        assertThat(map(map(problem, "properties"), "parameter")).containsEntry("nullable", true);
    }

    private static void assertProblems(String path, String... statuses) {
        Map<String, Object> responses = responses(path);
        assertThat(responses).as(path).containsKeys(statuses);
        for (String status : statuses) {
            Map<String, Object> response = map(responses, status);
            assertThat((String) response.get("description"))
                    .as(path + " " + status)
                    .isNotBlank();
            assertThat(map(map(map(response, "content"), Problems.MEDIA_TYPE), "schema"))
                    .as(path + " " + status)
                    .containsEntry("$ref", "#/components/schemas/Problem");
            assertThat(map(response, "content").keySet()).containsExactly(Problems.MEDIA_TYPE);
        }
    }

    private static Pattern pattern(String path, String name) {
        return Pattern.compile((String) map(parameter(path, name), "schema").get("pattern"));
    }

    private static Map<String, Object> responses(String path) {
        return map(operation(path), "responses");
    }

    private static Map<String, Object> parameter(String path, String name) {
        return parameters(path).stream()
                .filter(p -> p.get("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(path + " has no parameter " + name));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parameters(String path) {
        return (List<Map<String, Object>>) operation(path).get("parameters");
    }

    private static Map<String, Object> operation(String path) {
        return map(map(map(spec, "paths"), path), "get");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertThat(child).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) child;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
