package io.chronoprice.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.ErrorLogCapture;
import io.chronoprice.api.support.HostileCorpus;
import io.chronoprice.api.support.RawHttp;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Replays {@link HostileCorpus} against the running API over bare sockets and holds every answer to the rules of
 * the problem responses: no 5xx (nothing a client sends is the server's failure), every error an
 * {@code application/problem+json} body whose status matches, no response echoing the raw request target or a
 * hostile value, no file from outside the public folders, and nothing logged at ERROR while the corpus runs.
 * Writes a summary (count by group and status, then every request's status) to {@code target/hostile-corpus.txt}.
 */
@MicronautTest(transactional = false)
class HostileRequestsITCase extends ApiITCaseSupport {

    private static final int MINIMUM_CORPUS = 1_000;

    @Inject
    EmbeddedServer server;

    @Inject
    ObjectMapper json;

    @Test
    void everyHostileRequestGetsAProblemAnswerAndNoServerError() throws Exception {
        List<HostileCorpus.Request> corpus = HostileCorpus.build("localhost:" + server.getPort());
        RawHttp http = new RawHttp(server.getHost(), server.getPort(), Duration.ofSeconds(20));
        List<String> violations = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
        List<String> logged;

        long started = System.nanoTime();
        try (ErrorLogCapture errors = ErrorLogCapture.install()) {
            for (HostileCorpus.Request request : corpus) {
                RawHttp.Response response = http.exchange(request.head(), request.body(), request.headRequest());
                statuses.computeIfAbsent(request.group(), g -> new TreeMap<>())
                        .merge(response.status(), 1, Integer::sum);
                answers.add(request.group() + " | " + request.description() + " -> " + response.status());
                check(request, response, violations);
            }
            logged = errors.errors();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        writeSummary(corpus.size(), took, statuses, violations, logged, answers);

        assertThat(corpus).hasSizeGreaterThanOrEqualTo(MINIMUM_CORPUS);
        assertThat(violations).as("responses breaking the rules").isEmpty();
        assertThat(logged).as("logged at ERROR while the corpus ran").isEmpty();
        assertThat(candles()).as("the seeded candles are all still there").isEqualTo(seededCandles());
    }

    private void check(HostileCorpus.Request request, RawHttp.Response response, List<String> violations) {
        String what = request.group() + " | " + request.description() + " -> " + response.status();
        if (response.status() < 0) {
            violations.add(what + ": no response (" + response.failure() + ")");
            return;
        }
        if (response.failure() != null) {
            violations.add(what + ": " + response.failure());
        }
        if (response.status() >= 500) {
            violations.add(what + ": server error " + shorten(response.body()));
        }
        if (!request.expected().test(response.status())) {
            violations.add(what + ": expected " + request.expectation());
        }
        if (!response.header(DisclaimerFilter.HEADER).orElse("").equals(DisclaimerFilter.TEXT)) {
            violations.add(what + ": no disclaimer header");
        }
        if (response.status() == 405 && !response.header("Allow").orElse("").equals("GET, HEAD")) {
            violations.add(what + ": Allow is " + response.header("Allow").orElse("missing"));
        }
        String body = response.body();
        if (response.status() >= 400) {
            String type = response.header("Content-Type").orElse("");
            if (!type.startsWith(Problems.MEDIA_TYPE)) {
                violations.add(what + ": Content-Type " + type + " " + shorten(body));
            } else {
                checkProblem(what, response, violations);
            }
        }
        // Pages and documents may well contain their own path; an error names nothing the client sent.
        if (response.status() >= 400) {
            if (request.target().length() > 1 && body.contains(request.target())) {
                violations.add(what + ": echoes the request target");
            }
            String decodedPath = decodedPath(request.target());
            if (decodedPath.length() > 1 && body.contains(decodedPath)) {
                violations.add(what + ": echoes the decoded path " + decodedPath);
            }
        }
        if (request.echoProbe() != null && body.contains(request.echoProbe())) {
            violations.add(what + ": echoes the hostile value");
        }
        for (String secret : List.of("datasources:", "chronoprice-local", "reader-local", "<configuration>", "\tat ")) {
            if (body.contains(secret)) {
                violations.add(what + ": body contains '" + secret.strip() + "'");
            }
        }
    }

    private void checkProblem(String what, RawHttp.Response response, List<String> violations) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> problem = json.readValue(response.body(), Map.class);
            if (!(problem.get("status") instanceof Number status) || status.intValue() != response.status()) {
                violations.add(what + ": problem status " + problem.get("status"));
            }
            if (!(problem.get("title") instanceof String title) || title.isBlank()) {
                violations.add(what + ": problem without a title");
            }
            if (!(problem.get("detail") instanceof String detail) || detail.isBlank()) {
                violations.add(what + ": problem without a detail");
            }
        } catch (IOException | RuntimeException e) {
            violations.add(what + ": not a JSON problem: " + shorten(response.body()));
        }
    }

    private static String decodedPath(String target) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        try {
            return URLDecoder.decode(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static void writeSummary(
            int size,
            Duration took,
            Map<String, Map<Integer, Integer>> statuses,
            List<String> violations,
            List<String> logged,
            List<String> answers)
            throws IOException {
        StringBuilder text = new StringBuilder()
                .append("Hostile corpus: ")
                .append(size)
                .append(" requests in ")
                .append(took.toSeconds())
                .append(" s; ")
                .append(violations.size())
                .append(" violations; ")
                .append(logged.size())
                .append(" ERROR log events\n\nStatus counts by group:\n");
        statuses.forEach((group, counts) ->
                text.append("  ").append(group).append(": ").append(counts).append('\n'));
        text.append("\nViolations:\n");
        violations.forEach(v -> text.append("  ").append(v).append('\n'));
        text.append("\nLogged at ERROR:\n");
        logged.forEach(l -> text.append("  ").append(l).append('\n'));
        text.append("\nEvery request and its status:\n");
        answers.forEach(a -> text.append("  ").append(a).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/hostile-corpus.txt"), text.toString());
    }

    private static long candles() throws Exception {
        try (Connection c = TestDatabase.writer();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM candles WHERE exchange = 'binance'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long seededCandles() {
        return TestDatabase.seed().allCandles().size();
    }
}
