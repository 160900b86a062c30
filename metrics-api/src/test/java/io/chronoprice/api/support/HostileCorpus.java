package io.chronoprice.api.support;

import io.micronaut.core.annotation.Nullable;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * A fixed corpus of hostile requests, the same on every run (no clock, a seeded random): every query parameter of
 * every endpoint with every hostile value (out-of-range and malformed times, NUL bytes, huge numbers, unicode, SQL
 * metacharacters, overlong strings, malformed cursors), every route and static file with every write method, bad
 * Accept headers, oversized and malformed bodies, malformed request targets and percent-encoding, and malformed
 * request lines and headers.
 */
public final class HostileCorpus {

    /**
     * One request.
     *
     * @param group what it probes, for the summary
     * @param target the request target exactly as sent: no response may echo it
     * @param echoProbe a hostile value no response may echo (markup, quotes, control bytes), or null
     * @param expected which statuses are right for it, beyond "not 5xx"
     */
    public record Request(
            String group,
            String description,
            String target,
            byte[] head,
            byte[] body,
            boolean headRequest,
            @Nullable String echoProbe,
            String expectation,
            IntPredicate expected) {}

    /** The query parameters of every endpoint, and a valid base query each hostile value is added to. */
    static final Map<String, List<String>> PARAMETERS = new LinkedHashMap<>();

    static final Map<String, String> BASE_QUERY = new LinkedHashMap<>();

    static {
        parameters("/price/latest", "symbol=BTCUSDT", "symbol", "exchange", "interval");
        parameters("/price/prediction", "symbol=BTCUSDT", "symbol", "exchange", "interval", "model_version");
        parameters(
                "/price/history",
                "symbol=BTCUSDT&limit=3",
                "symbol",
                "exchange",
                "interval",
                "from",
                "to",
                "limit",
                "cursor",
                "model_version");
        parameters(
                "/metrics/model",
                "symbol=BTCUSDT&window=1h",
                "symbol",
                "exchange",
                "interval",
                "model_version",
                "window");
        // Its own exchange: a stream that opens is answered at once and closed, and is never pushed a seeded row.
        parameters("/live", "symbol=BTCUSDT&exchange=hostile", "symbol", "exchange", "interval", "model_version");
    }

    /** GET routes and static files: every one must refuse every other method with 405. */
    public static final List<String> ROUTES = List.of(
            "/price/latest?symbol=BTCUSDT",
            "/price/prediction?symbol=BTCUSDT",
            "/price/history?symbol=BTCUSDT",
            "/metrics/model?symbol=BTCUSDT",
            "/live?symbol=BTCUSDT",
            "/symbols",
            "/models",
            "/health",
            "/health/liveness",
            "/prometheus",
            "/swagger/chronoprice-metrics-api-0.1.0.yml",
            "/swagger-ui/index.html",
            "/",
            "/index.html",
            "/app.js",
            "/style.css",
            "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
            "/webjars/uplot/1.6.30/LICENSE",
            "/no/such/path");

    static final List<String> WRITE_METHODS =
            List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO");

    private final String hostHeader;
    private final List<Request> requests = new ArrayList<>();

    private HostileCorpus(String hostHeader) {
        this.hostHeader = hostHeader;
    }

    public static List<Request> build(String hostHeader) {
        HostileCorpus corpus = new HostileCorpus(hostHeader);
        corpus.hostileParameters();
        corpus.wrongMethods();
        corpus.badAcceptHeaders();
        corpus.oversizedAndMalformedBodies();
        corpus.malformedTargets();
        corpus.malformedRequestLinesAndHeaders();
        corpus.unexposedEndpoints();
        return List.copyOf(corpus.requests);
    }

    private static void parameters(String path, String base, String... names) {
        PARAMETERS.put(path, List.of(names));
        BASE_QUERY.put(path, base);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Values

    /** A value as the client means it, and as it goes on the wire (percent-encoded; some deliberately broken). */
    record Value(String label, String encoded, @Nullable String decoded) {

        static Value of(String label, String decoded) {
            return new Value(label, URLEncoder.encode(decoded, StandardCharsets.UTF_8), decoded);
        }

        static Value raw(String label, String encoded) {
            return new Value(label, encoded, null);
        }
    }

    static List<Value> hostileValues() {
        List<Value> values = new ArrayList<>();
        // Empty, blank and NUL.
        values.add(Value.of("empty", ""));
        values.add(Value.of("blank", "   "));
        values.add(Value.of("nul", "\u0000"));
        values.add(Value.of("nul inside", "BTC\u0000USDT"));
        values.add(Value.of("nul then sql", "\u0000' OR 1=1--"));
        values.add(Value.raw("overlong nul", "%C0%80"));
        values.add(Value.of("control bytes", "BTC\u0001\u001b[31m"));
        values.add(Value.of("crlf header injection", "BTCUSDT\r\nX-Injected: 1"));
        values.add(Value.of("tab", "\t"));
        // SQL and other metacharacters.
        values.add(Value.of("sql quote", "' OR '1'='1"));
        values.add(Value.of("sql drop", "BTC'; DROP TABLE candles;--"));
        values.add(Value.of("sql sleep", "1); SELECT pg_sleep(10);--"));
        values.add(Value.of("sql double quote", "\"; SELECT pg_sleep(10);--"));
        values.add(Value.of("sql comment", "BTCUSDT/*"));
        values.add(Value.of("like wildcard", "%"));
        values.add(Value.of("like underscore", "BTC_USD_"));
        values.add(Value.of("backslash", "\\"));
        values.add(Value.of("positional parameter", "$1"));
        values.add(Value.of("named parameter", ":symbol"));
        values.add(Value.of("markup", "<script>alert(1)</script>"));
        values.add(Value.of("template", "${jndi:ldap://127.0.0.1/a}"));
        values.add(Value.of("path traversal", "../../etc/passwd"));
        values.add(Value.of("json", "{\"$gt\":\"\"}"));
        // Backtest-style names (exchange@label) that break the naming rule.
        values.add(Value.of("empty label", "kraken@"));
        values.add(Value.of("label only", "@run-7"));
        values.add(Value.of("two labels", "binance@demo@demo"));
        values.add(Value.of("label with a path", "binance@../../etc"));
        values.add(Value.of("overlong label", "binance@" + "l".repeat(41)));
        values.add(Value.of("label with nul", "binance@demo\u0000"));
        values.add(Value.of("series text form", "binance:BTCUSDT:1m"));
        // Huge and odd numbers.
        values.add(Value.of("huge number", "99999999999999999999999999"));
        values.add(Value.of("huge negative", "-99999999999999999999"));
        values.add(Value.of("int overflow", "2147483648"));
        values.add(Value.of("long overflow", "9223372036854775808"));
        values.add(Value.of("negative", "-1"));
        values.add(Value.of("zero", "0"));
        values.add(Value.of("exponent", "1e308"));
        values.add(Value.of("nan", "NaN"));
        values.add(Value.of("infinity", "Infinity"));
        values.add(Value.of("hex", "0x7fffffff"));
        values.add(Value.of("arabic digits", "\u0663\u0660"));
        // Unicode.
        values.add(Value.of("fullwidth", "\uff22\uff34\uff23\uff35\uff33\uff24\uff34"));
        values.add(Value.of("right-to-left override", "BTCUSDT\u202e"));
        values.add(Value.of("byte order mark", "\ufeffBTCUSDT"));
        values.add(Value.of("emoji", "\ud83d\ude80"));
        values.add(Value.of("dotless i", "btcusd\u0131"));
        values.add(Value.of("combining", "BTC\u0301USDT"));
        values.add(Value.raw("lone surrogate bytes", "%ED%A0%80"));
        values.add(Value.raw("invalid utf-8", "%FF%FE"));
        values.add(Value.raw("truncated utf-8", "%E2%82"));
        // Overlong (the whole request line stays under Netty's 4096-byte limit; longer ones are below).
        values.add(Value.of("long 1000", "A".repeat(1000)));
        values.add(Value.of("long 3500", "B".repeat(3500)));
        values.add(Value.of("long mixed", "BTC-".repeat(250)));
        // Times: malformed and outside what PostgreSQL stores.
        for (String time : List.of(
                "+10000-01-01T00:00:00Z",
                "-10000-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59.999999999Z",
                "-999999999-01-01T00:00:00Z",
                "+294277-01-01T00:00:00Z",
                "-4714-11-24T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z",
                "9999-12-31T23:59:59.9999999Z",
                "1969-12-31T23:59:59.999999999Z",
                "2021-05-14T00:00:00.000000001Z",
                "2021-05-14T00:00:00",
                "2021-05-14",
                "2021-02-30T00:00:00Z",
                "2021-05-14T24:00:00Z",
                "2021-05-14T00:00:00+18:00",
                "2021-05-14T00:00:00+25:00",
                "1620950400",
                "-infinity",
                "epoch",
                "now")) {
            values.add(Value.of("time " + time, time));
        }
        // Cursors: base64url of text this API never issues, and of garbage.
        for (String text : List.of(
                "",
                "|",
                "abc",
                "1.2|",
                "1620950400|lstm-v1",
                "99999999999999999999.0|lstm-v1",
                "9223372036854775807.999999999|lstm-v1",
                "-9223372036854775808.0|lstm-v1",
                "31556889864403199.999999999|lstm-v1",
                "253402300800.0|lstm-v1",
                "-62135596801.0|lstm-v1",
                "99999999999999.0|lstm-v1",
                "1620950400.1000000000|lstm-v1",
                "1620950400.-1|lstm-v1",
                "+1620950400.0|lstm-v1",
                "1620950400.0|lstm-v1\u0000",
                "1620950400.0|\u0000",
                "1620950400.0|" + "v".repeat(2000),
                "1620950400.0|' OR '1'='1",
                "1620950400.0|\ud83d\ude80")) {
            values.add(Value.of(
                    "cursor " + text.replace("\u0000", "\\0").substring(0, Math.min(40, text.length())),
                    base64(text.getBytes(StandardCharsets.UTF_8))));
        }
        Random random = new Random(13);
        for (int i = 0; i < 12; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            values.add(Value.of("cursor of random bytes " + i, base64(garbage)));
        }
        values.add(Value.of("cursor in standard base64", "MTYyMDk1MDQwMC4wfHYx+/=="));
        values.add(Value.of("cursor of padding", "===="));
        values.add(Value.of("cursor of one char", "A"));
        return values;
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Groups

    private void hostileParameters() {
        List<Value> values = hostileValues();
        for (Map.Entry<String, List<String>> endpoint : PARAMETERS.entrySet()) {
            String path = endpoint.getKey();
            for (String parameter : endpoint.getValue()) {
                for (Value value : values) {
                    String query = withParameter(BASE_QUERY.get(path), parameter, value.encoded());
                    String target = path + "?" + query;
                    add(
                            "parameter " + path + " " + parameter,
                            parameter + " = " + value.label(),
                            "GET",
                            target,
                            Map.of(),
                            new byte[0],
                            echoProbe(value.decoded()),
                            "not 5xx",
                            status -> status < 500);
                }
            }
        }
    }

    /**
     * The value itself when no parameter could accept it as an identifier (markup, quotes, control characters,
     * non-ASCII...): a response may name a validated value ("Unknown symbol 2147483648."), never one of these.
     */
    @Nullable
    static String echoProbe(@Nullable String decoded) {
        return decoded != null && decoded.strip().length() >= 3 && !decoded.matches("[A-Za-z0-9_.:+-]*")
                ? decoded.strip()
                : null;
    }

    /** The base query with the parameter replaced (or added) by the hostile value. */
    static String withParameter(String base, String parameter, String encoded) {
        StringBuilder query = new StringBuilder();
        for (String pair : base.split("&")) {
            if (!pair.startsWith(parameter + "=")) {
                query.append(pair).append('&');
            }
        }
        return query.append(parameter).append('=').append(encoded).toString();
    }

    private void wrongMethods() {
        for (String route : ROUTES) {
            for (String method : WRITE_METHODS) {
                add(
                        "wrong method",
                        method + " " + route,
                        method,
                        route,
                        Map.of(),
                        new byte[0],
                        null,
                        "405",
                        s -> s == 405);
            }
        }
    }

    /** Media types no JSON route can send. */
    static final List<String> UNACCEPTABLE = List.of("application/xml", "text/html", "image/png", "text/event-stream");

    private void badAcceptHeaders() {
        List<String> accepts = List.of(
                "application/xml",
                "text/html",
                "image/png",
                "text/event-stream",
                "application/json",
                "application/problem+json",
                ";;;",
                "*/*;q=abc",
                "*/*;q=0",
                "application/json;q=0",
                "/",
                "application/",
                "text/*;charset=\"",
                "x".repeat(6000),
                "application/json, " + "x/y;q=0.1, ".repeat(300));
        List<String> routes = List.of(
                "/price/latest?symbol=BTCUSDT",
                "/price/prediction?symbol=BTCUSDT",
                "/price/history?symbol=BTCUSDT&limit=3",
                "/metrics/model?symbol=BTCUSDT&window=1h",
                "/live?symbol=BTCUSDT&exchange=hostile",
                "/symbols",
                "/models",
                "/health",
                "/prometheus",
                "/index.html",
                "/no/such/path");
        for (String route : routes) {
            for (String accept : accepts) {
                boolean unacceptable = UNACCEPTABLE.contains(accept)
                        && (route.startsWith("/price/")
                                || route.startsWith("/metrics/")
                                || route.equals("/symbols")
                                || route.equals("/models"));
                boolean unacceptableStream = route.startsWith("/live")
                        && List.of("application/xml", "application/json").contains(accept);
                add(
                        "bad accept",
                        "Accept: " + accept.substring(0, Math.min(30, accept.length())) + " on " + route,
                        "GET",
                        route,
                        Map.of("Accept", accept),
                        new byte[0],
                        null,
                        unacceptable || unacceptableStream ? "406" : "not 5xx",
                        unacceptable || unacceptableStream ? s -> s == 406 : s -> s < 500);
            }
        }
    }

    private void oversizedAndMalformedBodies() {
        byte[] eleven = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(eleven, (byte) 'a');
        for (String route : List.of("/price/latest?symbol=BTCUSDT", "/", "/index.html", "/no/such/path")) {
            add(
                    "oversized body",
                    "POST 11 MB to " + route,
                    "POST",
                    route,
                    Map.of(),
                    eleven,
                    null,
                    "413",
                    s -> s == 413);
        }
        add(
                "oversized body",
                "PUT 11 MB chunked",
                "PUT",
                "/price/latest?symbol=BTCUSDT",
                Map.of("Transfer-Encoding", "chunked"),
                chunked(eleven),
                null,
                "405 or 413",
                s -> s == 405 || s == 413);
        add(
                "oversized body",
                "GET with an 11 MB body",
                "GET",
                "/price/latest?symbol=BTCUSDT",
                Map.of(),
                eleven,
                null,
                "413",
                s -> s == 413);
        add(
                "oversized body",
                "GET with a JSON body",
                "GET",
                "/price/latest?symbol=BTCUSDT",
                Map.of("Content-Type", "application/json"),
                "{\"symbol\":".getBytes(StandardCharsets.UTF_8),
                null,
                "not 5xx",
                s -> s < 500);
        add(
                "oversized body",
                "POST a broken multipart body",
                "POST",
                "/price/latest?symbol=BTCUSDT",
                Map.of("Content-Type", "multipart/form-data; boundary=x"),
                "--y\r\n\r\n".getBytes(StandardCharsets.UTF_8),
                null,
                "405",
                s -> s == 405);
        add(
                "oversized body",
                "POST malformed JSON",
                "POST",
                "/models",
                Map.of("Content-Type", "application/json"),
                "{\"a\":[".getBytes(StandardCharsets.UTF_8),
                null,
                "405",
                s -> s == 405);
        add(
                "oversized body",
                "POST form data",
                "POST",
                "/symbols",
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "symbol=%zz&x=".getBytes(StandardCharsets.UTF_8),
                null,
                "405",
                s -> s == 405);
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunk = 1024 * 1024;
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Targets whose percent-encoding cannot be decoded: 400, wherever they point. */
    static final List<String> BAD_PERCENT_ENCODING = List.of(
            "/price/latest?symbol=%zz",
            "/price/latest?symbol=%",
            "/price/latest?symbol=%4",
            "/price/latest?symbol=%%%%",
            "/price/latest?symbol=%u0041",
            "/price/latest?%zz=BTCUSDT",
            "/price/latest?symbol=BTCUSDT&%",
            "/%zz",
            "/price/%zz",
            "/price/latest%");

    /** Paths that try to reach files outside the public folders (configuration, classes, the system): never served. */
    static final List<String> OUTSIDE_THE_PUBLIC_FILES = List.of(
            "/price/latest%2F..%2F..%2Fapplication.yml",
            "/..%2F..%2Fapplication.yml",
            "/../application.yml",
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/application.yml",
            "/.%2e/application.yml",
            "/%u002e%u002e/application.yml",
            "/webjars/../application.yml",
            "/webjars/..%2F..%2Flogback.xml",
            "/swagger/../application.yml",
            "/swagger-ui/../../io/chronoprice/api/Application.class",
            "/index.html%00.js",
            "/application.yml",
            "/logback.xml",
            "/META-INF/MANIFEST.MF",
            "/<script>alert(1)</script>");

    private void malformedTargets() {
        List<String> targets = List.of(
                "/price/latest?symbol=%zz",
                "/price/latest?symbol=%",
                "/price/latest?symbol=%4",
                "/price/latest?symbol=%%%%",
                "/price/latest?symbol=%u0041",
                "/price/latest?%zz=BTCUSDT",
                "/price/latest?symbol=BTCUSDT&%",
                "/price/latest?symbol=BTCUSDT&symbol=ETHUSDT",
                "/price/latest?=&=&&",
                "/price/latest?symbol",
                "/price/latest?%00=1&symbol=BTCUSDT",
                "/%zz",
                "/price/%zz",
                "/price/latest%",
                "/price/latest%00",
                "/price/latest%2F..%2F..%2Fapplication.yml",
                "/..%2F..%2Fapplication.yml",
                "/../application.yml",
                "/../../etc/passwd",
                "/%2e%2e/%2e%2e/application.yml",
                "/.%2e/application.yml",
                "/%u002e%u002e/application.yml",
                "/webjars/../application.yml",
                "/webjars/..%2F..%2Flogback.xml",
                "/swagger/../application.yml",
                "/swagger-ui/../../io/chronoprice/api/Application.class",
                "/index.html/..",
                "/index.html%00.js",
                "/application.yml",
                "/logback.xml",
                "/META-INF/MANIFEST.MF",
                "/webjars/uplot/1.6.30/LICENSE%20",
                "//price/latest?symbol=BTCUSDT",
                "/price//latest?symbol=BTCUSDT",
                "/price/latest/?symbol=BTCUSDT",
                "/price/latest;jsessionid=x?symbol=BTCUSDT",
                "/price/latest#fragment",
                "/price/latest?symbol=BTCUSDT#fragment",
                "*",
                "http://evil.example/price/latest?symbol=BTCUSDT",
                "price/latest?symbol=BTCUSDT",
                "/price/latest?symbol=<script>alert(1)</script>",
                "/<script>alert(1)</script>",
                "/price/latest?symbol=\"BTC\"",
                "/price/latest?symbol=BTC\u0001",
                "/price/latest?symbol=BTC\u007f",
                "/price/latest?symbol=\u00e9",
                "/price/latest?symbol=BTCUSDT\t",
                "/price/latest?symbol={BTC}|[USDT]^`",
                "/price/latest?" + "a=b&".repeat(1200),
                "/" + "a".repeat(5000),
                "/price/latest?symbol=" + "A".repeat(70_000),
                "/price/latest?symbol=" + "%41".repeat(1300));
        for (String target : targets) {
            String probe = target.contains("<script>") ? "<script>" : null;
            if (BAD_PERCENT_ENCODING.contains(target)) {
                add(
                        "malformed target",
                        shorten(target),
                        "GET",
                        target,
                        Map.of(),
                        new byte[0],
                        probe,
                        "400",
                        s -> s == 400);
            } else if (OUTSIDE_THE_PUBLIC_FILES.contains(target)) {
                add(
                        "malformed target",
                        shorten(target),
                        "GET",
                        target,
                        Map.of(),
                        new byte[0],
                        probe,
                        "400 or 404",
                        s -> s == 400 || s == 404);
            } else {
                add(
                        "malformed target",
                        shorten(target),
                        "GET",
                        target,
                        Map.of(),
                        new byte[0],
                        probe,
                        "not 5xx",
                        s -> s < 500);
            }
        }
        // Raw UTF-8 (not percent-encoded) in the request line.
        addRaw(
                "malformed target",
                "raw utf-8 in the target",
                "/price/latest?symbol=\u20ac\ud83d\ude80",
                ("GET /price/latest?symbol=\u20ac\ud83d\ude80 HTTP/1.1\r\nHost: " + hostHeader
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8),
                "not 5xx",
                s -> s < 500);
    }

    private void malformedRequestLinesAndHeaders() {
        String base = "/price/latest?symbol=BTCUSDT";
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("unknown version", "GET " + base + " HTTP/9.9");
        lines.put("bad version", "GET " + base + " HTTP/1.1x");
        lines.put("lower-case method", "get " + base + " HTTP/1.1");
        lines.put("space in target", "GET /price/latest?symbol=BTC USDT HTTP/1.1");
        lines.put("empty target", "GET  HTTP/1.1");
        lines.put("nul in method", "G\u0000ET " + base + " HTTP/1.1");
        lines.put("tab separators", "GET\t" + base + "\tHTTP/1.1");
        lines.put("long method", "A".repeat(200) + " " + base + " HTTP/1.1");
        lines.put("absolute form with userinfo", "GET http://user:pass@localhost/price/latest HTTP/1.1");
        for (Map.Entry<String, String> line : lines.entrySet()) {
            addRaw(
                    "malformed request line",
                    line.getKey(),
                    line.getValue(),
                    (line.getValue() + "\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1),
                    "not 5xx",
                    s -> s < 500);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("no host", "");
        headers.put("two hosts", "Host: a\r\nHost: b\r\n");
        headers.put("header without colon", "Foo\r\n");
        headers.put("nul in a header", "X-Test: a\u0000b\r\n");
        headers.put("space before colon", "X-Test : a\r\n");
        headers.put("obsolete line folding", "X-Test: a\r\n b\r\n");
        headers.put("20 kB header", "X-Test: " + "a".repeat(20_000) + "\r\n");
        headers.put("300 headers", "X-Test: a\r\n".repeat(300));
        headers.put("content-length and chunked", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n");
        headers.put("negative content-length", "Content-Length: -1\r\n");
        headers.put("non-numeric content-length", "Content-Length: abc\r\n");
        headers.put("two content-lengths", "Content-Length: 1\r\nContent-Length: 2\r\n");
        headers.put("unknown transfer-encoding", "Transfer-Encoding: gzip\r\n");
        headers.put("bad expect", "Expect: 999-nonsense\r\n");
        headers.put("bad content-type", "Content-Type: ;;;\r\n");
        headers.put("bad accept-charset", "Accept-Charset: \u00ff\r\n");
        headers.put("bad if-modified-since", "If-Modified-Since: yesterday\r\n");
        headers.put("bad range", "Range: bytes=9-1,abc\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String host = header.getKey().equals("no host") || header.getKey().equals("two hosts")
                    ? ""
                    : "Host: " + hostHeader + "\r\n";
            for (String target : List.of(base, "/index.html")) {
                addRaw(
                        "malformed header",
                        header.getKey() + " on " + target,
                        target,
                        ("GET " + target + " HTTP/1.1\r\n" + host + header.getValue() + "Connection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1),
                        "not 5xx",
                        s -> s < 500);
            }
        }
    }

    /** Management endpoints other than /health and /prometheus are not there at all. */
    static final List<String> UNEXPOSED = List.of(
            "/beans",
            "/info",
            "/routes",
            "/threaddump",
            "/env",
            "/loggers",
            "/caches",
            "/refresh",
            "/stop",
            "/metrics",
            "/metrics/jvm.memory.used",
            "/metrics/model/../jvm.memory.used");

    private void unexposedEndpoints() {
        for (String path : UNEXPOSED) {
            add("unexposed endpoint", path, "GET", path, Map.of(), new byte[0], null, "404", s -> s == 404);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private void add(
            String group,
            String description,
            String method,
            String target,
            Map<String, String> headers,
            byte[] body,
            @Nullable String echoProbe,
            String expectation,
            IntPredicate expected) {
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: ")
                .append(hostHeader)
                .append("\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body.length > 0 && !headers.containsKey("Transfer-Encoding")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        requests.add(new Request(
                group,
                description,
                target,
                head.toString().getBytes(StandardCharsets.UTF_8),
                body,
                method.equals("HEAD"),
                echoProbe,
                expectation,
                expected));
    }

    private void addRaw(
            String group, String description, String target, byte[] head, String expectation, IntPredicate expected) {
        requests.add(new Request(group, description, target, head, new byte[0], false, null, expectation, expected));
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "... (" + text.length() + " chars)";
    }
}
