package io.chronoprice.job.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.ParityFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./chronoprice model ...} against a real PostgreSQL, with the writer's settings from the environment. */
class ModelCliITCase {

    private static EmbeddedDatabase db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.startForTests();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void addPromoteRetireAndListDriveTheRegistry() {
        assertThat(run("add", ParityFixture.modelPath(ParityFixture.V2).toString()))
                .isEqualTo(new Result(
                        0,
                        "lstm-1m-v2 (1m, 60 candles x 11 features, sha256 "
                                + ParityFixture.model(ParityFixture.V2).sha256() + ") is registered as champion\n",
                        ""));
        assertThat(run("add", ParityFixture.modelPath(ParityFixture.V1).toString())
                        .out())
                .endsWith("is registered as challenger\n");

        assertThat(run("promote", ParityFixture.V1).code()).isZero();
        Result list = run("list");
        assertThat(list.out().lines())
                .anySatisfy(l -> assertThat(l).startsWith(ParityFixture.V1).contains(" champion "))
                .anySatisfy(l -> assertThat(l).startsWith(ParityFixture.V2).contains(" challenger "));

        assertThat(run("retire", ParityFixture.V2).code()).isZero();
        assertThat(run("retire", ParityFixture.V1))
                .isEqualTo(new Result(
                        1, "", "Version lstm-1m-v1 is the champion; promote another version before retiring it\n"));
    }

    @Test
    void aCorruptFileIsRefusedBeforeItReachesTheRegistry(@TempDir Path dir) throws Exception {
        byte[] bytes = ParityFixture.model(ParityFixture.V2).bytes();
        Path corrupt = Files.write(dir.resolve("half.onnx"), Arrays.copyOf(bytes, bytes.length / 2));

        Result result = run("add", corrupt.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("half.onnx: not a loadable ONNX model");
        assertThat(run("list").out()).doesNotContain("half");
    }

    @Test
    void badUsageAndAnUnreachableRegistryAreReportedWithoutAStackTrace() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("promote").err()).startsWith("Usage: chronoprice model");
        assertThat(run("frobnicate", "x").code()).isEqualTo(2);

        DbSettings nowhere = new DbSettings("jdbc:postgresql://127.0.0.1:1/chronoprice", "w", "p");
        Result unreachable = run(nowhere, "list");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("Registry not reachable at jdbc:postgresql://127.0.0.1:1/chronoprice");
        assertThat(unreachable.err().lines()).hasSize(1);
    }

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        return run(db.writer(), args);
    }

    private static Result run(DbSettings settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of(
                "CHRONOPRICE_DB_URL", settings.jdbcUrl(),
                "CHRONOPRICE_DB_USER", settings.user(),
                "CHRONOPRICE_DB_PASSWORD", settings.password());
        int code = ModelCli.run(
                args,
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
