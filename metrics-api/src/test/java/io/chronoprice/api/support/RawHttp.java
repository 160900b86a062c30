package io.chronoprice.api.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a bare socket, one request per connection: the JDK and Micronaut clients refuse to send most of
 * what a hostile client sends (malformed request lines and percent-encoding, raw control bytes, wrong framing), and
 * wait for a stream's first event before they show its headers. The body is written from a second thread so that a
 * server that answers before it has read an oversized body is still heard.
 */
public final class RawHttp {

    private final String host;
    private final int port;
    private final Duration timeout;

    public RawHttp(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /**
     * What came back: status -1 when the server closed (or stayed silent for the timeout) without a status line.
     * Headers are keyed in lower case. The body of an event stream is not read (it does not end).
     */
    public record Response(int status, Map<String, String> headers, String body, String failure) {

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** Sends the head, then the body (may be empty), and reads one response. */
    public Response exchange(byte[] head, byte[] body, boolean headRequest) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.flush();
            Thread writer = null;
            if (body.length > 0) {
                writer = new Thread(() -> writeQuietly(out, body), "raw-http-body");
                writer.setDaemon(true);
                writer.start();
            }
            try {
                return read(socket.getInputStream(), headRequest);
            } finally {
                if (writer != null) {
                    writer.interrupt();
                }
            }
        } catch (IOException e) {
            return new Response(-1, Map.of(), "", e.toString());
        }
    }

    private static void writeQuietly(OutputStream out, byte[] body) {
        try {
            for (int at = 0; at < body.length; at += 64 * 1024) {
                out.write(body, at, Math.min(64 * 1024, body.length - at));
            }
            out.flush();
        } catch (IOException e) {
            // The server answered and closed before reading it all: what it answered is what counts.
        }
    }

    private static Response read(InputStream in, boolean headRequest) throws IOException {
        String head;
        try {
            head = readHead(in);
        } catch (SocketTimeoutException e) {
            return new Response(-1, Map.of(), "", "no response head within the timeout");
        }
        if (head == null) {
            return new Response(-1, Map.of(), "", "connection closed without a response");
        }
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return new Response(-1, Map.of(), head, "not a status line: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        String type = headers.getOrDefault("content-type", "");
        if (headRequest || status == 204 || status == 304 || type.startsWith("text/event-stream")) {
            return new Response(status, headers, "", null);
        }
        byte[] body;
        try {
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
                body = readChunked(in);
            } else {
                body = in.readAllBytes();
            }
        } catch (SocketTimeoutException e) {
            return new Response(status, headers, "", "body not complete within the timeout");
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8), null);
    }

    /** The status line and headers up to the blank line, or null at end of stream before any byte. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (head.size() == 0) {
            return null;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                return body.toByteArray();
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (true) {
                    String trailer = readLine(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
