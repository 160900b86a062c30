package io.chronoprice.backtest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

/** How the backtest ITCases run the command: its flags, and what it prints. */
final class BacktestCommand {

    private BacktestCommand() {}

    /** A run of the candle files in {@code data} into the database at {@code jdbcUrl}, then {@code more}. */
    static String[] flags(Path data, String label, String jdbcUrl, String... more) {
        String[] common = {
            "--backtest",
            data.toString(),
            "--run-label",
            label,
            "--jdbc-url",
            jdbcUrl,
            "--parallelism",
            "1",
            "--checkpoint-dir",
            data.resolve("checkpoints").toUri().toString()
        };
        return Stream.concat(Stream.of(common), Stream.of(more)).toArray(String[]::new);
    }

    interface Run {
        void run() throws Exception;
    }

    /** What {@code run} printed to standard output. */
    static String printedBy(Run run) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
