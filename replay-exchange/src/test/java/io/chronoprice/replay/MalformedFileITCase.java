package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MalformedFileITCase {
    private static final long T0 = 1620950400000L;

    @TempDir
    Path dir;

    @Test
    void aFileWithAMalformedLineIsReportedWithFileAndLineAndTheOtherFilesAreServed() throws IOException {
        CandleFiles.writeGzip(dir, "binance_spot_BTCUSDT_1m.csv.gz", CandleFiles.minuteCandles(T0, 10));
        String[] lines = CandleFiles.minuteCandles(T0, 10);
        lines[6] = T0 + 6 * 60_000L + ",1,2,3,four,5"; // line 8 of the file
        Path bad = CandleFiles.writeGzip(dir, "binance_spot_ETHUSDT_1m.csv.gz", lines);

        try (ReplayExchange exchange =
                ReplayExchange.builder().dataDir(dir).speed(0).start()) {
            assertThat(exchange.loadProblems()).singleElement().satisfies(p -> {
                assertThat(p.file()).isEqualTo(bad);
                assertThat(p.line()).isEqualTo(8);
                assertThat(p.toString()).startsWith(bad + ":8: close is not a plain decimal number");
            });
            Http http = new Http(exchange);
            JsonNode btc = http.getJson("/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=0");
            assertThat(btc).hasSize(10);
            assertThat(btc.get(3).get(1).asText()).isEqualTo("100.3");
            assertThat(http.getJson("/api/v3/klines?symbol=ETHUSDT&interval=1m")
                            .get("code")
                            .asInt())
                    .isEqualTo(-1121);
        }
    }

    @Test
    void refusesToStartWhenNoFileCanBeLoaded() throws IOException {
        CandleFiles.writePlain(dir, "binance_spot_BTCUSDT_1m.csv", "garbage");

        assertThatThrownBy(() -> ReplayExchange.builder().dataDir(dir).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("binance_spot_BTCUSDT_1m.csv:2");
    }
}
