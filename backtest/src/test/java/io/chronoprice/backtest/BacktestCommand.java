package io.chronoprice.backtest;

import io.chronoprice.common.series.SeriesId;
import io.chronoprice.db.DbSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Stream;

/** How the backtest ITCases run the command: its flags, what it prints, and what it stored. */
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

    /** The candles and forecasts a run stored under {@code label}. */
    record Stored(int candles, int predictions) {}

    static Stored stored(DbSettings writer, String label) throws SQLException {
        String exchange = SeriesId.backtestExchange("binance", label);
        try (Connection c = DriverManager.getConnection(writer.jdbcUrl(), writer.user(), writer.password());
                PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM candles WHERE exchange = ?),"
                        + " (SELECT count(*) FROM predictions WHERE exchange = ?)")) {
            ps.setString(1, exchange);
            ps.setString(2, exchange);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Stored(rs.getInt(1), rs.getInt(2));
            }
        }
    }
}
