package io.chronoprice.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream of a series nobody writes to (its own exchange): with the heartbeat at 1 s instead of 15 s, the client
 * gets the response head and a first comment at once, a comment every second after that and no event, and the
 * server notices within a heartbeat that the client left, without any row being written. The shared poller runs
 * only while the client is connected.
 */
@MicronautTest(transactional = false)
@Property(name = "chronoprice.live.heartbeat", value = "1s")
class LiveHeartbeatITCase extends ApiITCaseSupport {

    @Inject
    EmbeddedServer server;

    @Inject
    LiveFeed feed;

    @Test
    void aQuietStreamGetsACommentEverySecondAndIsDroppedAtTheFirstOneAfterTheClientLeft() throws Exception {
        assertThat(feed.polling()).as("polling before anybody listens").isFalse();
        List<String> lines = new ArrayList<>();
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(("GET /live?symbol=BTCUSDT&exchange=heartbeat HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Accept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            long start = System.nanoTime();
            while (System.nanoTime() - start < Duration.ofMillis(3_500).toNanos()) {
                lines.add(in.readLine());
            }
            assertThat(feed.clients()).isEqualTo(1);
            assertThat(feed.polling()).as("polling while a client listens").isTrue();
        }

        assertThat(lines.get(0)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(lines).anyMatch(l -> l.toLowerCase().startsWith("content-type: text/event-stream"));
        // At 0, 1, 2 and 3 s; a busy machine may be late with the last.
        assertThat(lines.stream().filter(": heartbeat"::equals).count()).isBetween(3L, 5L);
        assertThat(lines).noneMatch(l -> l.startsWith("event:") || l.startsWith("data:"));
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.clients() == 0);
        assertThat(feed.polling()).as("polling after the client left").isFalse();
    }
}
