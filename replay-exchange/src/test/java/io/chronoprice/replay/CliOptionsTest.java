package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CliOptionsTest {
    @Test
    void hasDocumentedDefaults() {
        CliOptions options = CliOptions.parse();

        assertThat(options.help()).isFalse();
        assertThat(options.port()).isEqualTo(8090);
        assertThat(options.bind()).isEqualTo("127.0.0.1");
        // The tests run in the module directory, where the demo data is ./demo-data.
        assertThat(options.dataDir()).isEqualTo(Path.of("demo-data"));
        assertThat(options.startTime()).isNull();
        assertThat(options.speed()).isEqualTo(1);
        assertThat(options.faults()).isEqualTo(FaultConfig.NONE);
    }

    @Test
    void parsesEveryOption() {
        CliOptions options = CliOptions.parse(
                "--port",
                "0",
                "--bind",
                "0.0.0.0",
                "--data-dir",
                "/data",
                "--start",
                "2021-05-15T00:00:00Z",
                "--speed",
                "60",
                "--fault-5xx",
                "0.1",
                "--fault-429",
                "0.2",
                "--retry-after",
                "3",
                "--fault-malformed",
                "0.05",
                "--fault-truncated",
                "0.05",
                "--delay-ms",
                "250",
                "--delay-fraction",
                "0.5",
                "--seed",
                "7");

        assertThat(options.port()).isZero();
        assertThat(options.bind()).isEqualTo("0.0.0.0");
        assertThat(options.dataDir()).isEqualTo(Path.of("/data"));
        assertThat(options.startTime()).isEqualTo(Instant.parse("2021-05-15T00:00:00Z"));
        assertThat(options.speed()).isEqualTo(60);
        assertThat(options.faults()).isEqualTo(new FaultConfig(0.1, 0.2, 3, 0.05, 0.05, 250, 0.5, 7));
    }

    @Test
    void acceptsEpochMillisAndSpeedMax() {
        assertThat(CliOptions.parse("--start", "1621036800000").startTime())
                .isEqualTo(Instant.parse("2021-05-15T00:00:00Z"));
        assertThat(CliOptions.parse("--speed", "max").speed()).isZero();
        assertThat(CliOptions.parse("--help").help()).isTrue();
    }

    @Test
    void rejectsBadCommandLines() {
        assertThatThrownBy(() -> CliOptions.parse("--port")).hasMessageContaining("missing value for --port");
        assertThatThrownBy(() -> CliOptions.parse("--port", "70000")).hasMessageContaining("--port");
        assertThatThrownBy(() -> CliOptions.parse("--speed", "fast")).hasMessageContaining("--speed");
        assertThatThrownBy(() -> CliOptions.parse("--fault-5xx", "2")).hasMessageContaining("--fault-5xx");
        assertThatThrownBy(() -> CliOptions.parse("--start", "yesterday")).hasMessageContaining("--start");
        assertThatThrownBy(() -> CliOptions.parse("--frobnicate", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> CliOptions.parse("--speed", "max", "--start", "1621036800000"))
                .hasMessageContaining("--start cannot be combined with --speed max");
    }
}
