package io.chronoprice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar a cluster runs (built by the flink-job module earlier in the same build): the job, its models
 * and its runtime dependencies, and nothing that only tests, the stored-row checker or the backtest need.
 */
class JobJarTest {

    @Test
    void theJobJarCarriesTheJobAndItsModelsButNoReplayExchangeBacktestCheckerOrTestCode() throws IOException {
        Path jar = jobJar();
        List<String> entries;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            entries = zip.stream().map(ZipEntry::getName).toList();
        }

        assertThat(entries)
                .contains(
                        "io/chronoprice/job/JobMain.class",
                        "io/chronoprice/job/registry/ModelCli.class",
                        "models/lstm-1m-v3.onnx",
                        "models/lstm-1m-v2.onnx",
                        "models/lstm-1m-v1.onnx")
                .noneMatch(e -> e.startsWith("io/chronoprice/replay/"))
                .noneMatch(e -> e.startsWith("io/chronoprice/backtest/"))
                .noneMatch(e -> e.startsWith("io/chronoprice/rowcheck/"))
                .noneMatch(e -> e.endsWith("Test.class") || e.endsWith("ITCase.class"))
                .noneMatch(e -> e.startsWith("org/junit/") || e.startsWith("org/assertj/"));
    }

    private static Path jobJar() throws IOException {
        Path target = OpsFiles.repoRoot().resolve("flink-job/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("no shaded job jar in " + target + "; build flink-job first"));
        }
    }
}
