package io.chronoprice.api.support;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's WebSocket client: no
 * WebDriver, no browser download. One page (tab) per instance; console errors, uncaught exceptions and failed
 * resource loads are collected as {@link #errors()}.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** {@code CHROMIUM_BIN} overrides the Debian path. */
    public static final String BINARY = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final JsonMapper json;
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final String sessionId;

    private HeadlessChromium(JsonMapper json, Process process, Path profile, URI browserSocket, int width, int height)
            throws Exception {
        this.json = json;
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(browserSocket, new Listener())
                .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String targetId = send(null, "Target.createTarget", Map.of("url", "about:blank"))
                .get("targetId")
                .getStringValue();
        this.sessionId = send(null, "Target.attachToTarget", Map.of("targetId", targetId, "flatten", true))
                .get("sessionId")
                .getStringValue();
        page("Runtime.enable", Map.of());
        page("Log.enable", Map.of());
        page("Page.enable", Map.of());
        page(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Starts Chromium with a fresh profile; its output goes to {@code logFile}. */
    public static HeadlessChromium start(JsonMapper json, Path logFile, int width, int height) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " not found: install Debian's chromium (apt-get install -y"
                    + " chromium), or set CHROMIUM_BIN");
        }
        Path profile = Files.createTempDirectory("chronoprice-chromium-");
        Files.createDirectories(logFile.getParent());
        Process process = new ProcessBuilder(
                        BINARY,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile,
                        "--window-size=" + width + "," + height,
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        try {
            // Chromium writes the chosen port and the browser's WebSocket path once it listens.
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> lines = List.of();
            while (lines.size() < 2) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Chromium exited with " + process.exitValue() + ", see " + logFile);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Chromium did not open its DevTools port, see " + logFile);
                }
                Thread.sleep(100);
                lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
            }
            URI socket = URI.create(
                    "ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
            return new HeadlessChromium(json, process, profile, socket, width, height);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Loads a URL in the page (returns once navigation started; wait for the page's own state after it). */
    public void navigate(String url) throws Exception {
        JsonNode result = page("Page.navigate", Map.of("url", url));
        JsonNode error = result.get("errorText");
        if (error != null) {
            throw new IllegalStateException("Navigation to " + url + " failed: " + error.getStringValue());
        }
    }

    /** The value of a JavaScript expression, as JSON (the expression's result goes through JSON.stringify). */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode result = page(
                "Runtime.evaluate",
                Map.of(
                        "expression", "JSON.stringify((() => (" + expression + "))())",
                        "returnByValue", true,
                        "awaitPromise", true));
        if (result.get("exceptionDetails") != null) {
            throw new IllegalStateException(
                    "Evaluating " + expression + " threw: " + text(result.get("exceptionDetails")));
        }
        JsonNode value = result.get("result").get("value");
        return value == null ? JsonNode.nullNode() : json.readValue(value.getStringValue(), JsonNode.class);
    }

    /** A PNG of the viewport. */
    public void screenshot(Path file) throws Exception {
        String data = page("Page.captureScreenshot", Map.of("format", "png"))
                .get("data")
                .getStringValue();
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    /** Console errors and assertions, uncaught exceptions and browser-logged errors (e.g. a 404 script). */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    private JsonNode page(String method, Map<String, Object> params) throws Exception {
        return send(sessionId, method, params);
    }

    private JsonNode send(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(json.writeValueAsString(JsonNode.from(message)), true).join();
        JsonNode response = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (response.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + text(response.get("error")));
        }
        return response.get("result");
    }

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = json.readValue(text, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode id = message.get("id");
        if (id != null) {
            CompletableFuture<JsonNode> answer = pending.remove(id.getIntValue());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        JsonNode method = message.get("method");
        JsonNode params = message.get("params");
        if (method == null || params == null) {
            return;
        }
        switch (method.getStringValue()) {
            case "Runtime.consoleAPICalled" -> {
                String type = params.get("type").getStringValue();
                if (type.equals("error") || type.equals("assert")) {
                    List<String> args = new ArrayList<>();
                    params.get("args").values().forEach(a -> args.add(describe(a)));
                    errors.add("console." + type + ": " + String.join(" ", args));
                }
            }
            case "Runtime.exceptionThrown" -> {
                JsonNode details = params.get("exceptionDetails");
                JsonNode exception = details.get("exception");
                errors.add("uncaught: "
                        + (exception != null && exception.get("description") != null
                                ? exception.get("description").getStringValue()
                                : details.get("text").getStringValue()));
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.get("entry");
                if (entry.get("level").getStringValue().equals("error")) {
                    JsonNode url = entry.get("url");
                    errors.add("log: " + entry.get("text").getStringValue()
                            + (url != null ? " (" + url.getStringValue() + ")" : ""));
                }
            }
            default -> {}
        }
    }

    private static String describe(JsonNode remoteObject) {
        JsonNode value = remoteObject.get("value");
        if (value != null) {
            return value.isString() ? value.getStringValue() : value.toString();
        }
        JsonNode description = remoteObject.get("description");
        return description != null ? description.getStringValue() : remoteObject.toString();
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            return String.valueOf(node);
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // Chromium is stopped below anyway.
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
