package io.chronoprice.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.DemoSlice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestMainITCase {

    /** 2021-05-14 00:00 UTC, the first candle of the demo data. */
    private static final long FROM = 1620950400000L;

    @Test
    void backtestReplaysADirectoryThroughTheJobAndPrintsTheMetricsPerSymbol(@TempDir Path data) throws Exception {
        int candles =
                DemoSlice.write(data, "BTCUSDT", FROM, FROM + 199 * 60_000L).size();
        try (EmbeddedDatabase db = EmbeddedDatabase.startForTests()) {
            // The test database's writer password is the local default, which JobMain reads from the env.
            String report = BacktestCommand.printedBy(() -> BacktestMain.main(BacktestCommand.flags(
                    data,
                    "it",
                    db.writer().jdbcUrl(),
                    "--export",
                    data.resolve("forecasts.csv").toString())));

            // 200 candles give 141 full windows; the last one's target lies beyond the data, so 140 are judged.
            assertThat(report).contains("| BTCUSDT | 140 |");
            assertThat(report).contains("rolling-vol Winkler").contains("EWMA Winkler");
            assertThat(report).contains("Wrote " + (candles - 59) + " forecasts to");
            assertThat(Files.readAllLines(data.resolve("forecasts.csv"))).hasSize(candles - 59 + 1);
            try (Connection c = DriverManager.getConnection(
                            db.writer().jdbcUrl(),
                            db.writer().user(),
                            db.writer().password());
                    ResultSet rs = c.createStatement()
                            .executeQuery("SELECT (SELECT count(*) FROM candles WHERE exchange = 'binance@it'),"
                                    + " (SELECT count(*) FROM predictions WHERE exchange = 'binance@it'),"
                                    + " (SELECT count(*) FROM models WHERE model_version = 'lstm-1m-v3')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(candles);
                assertThat(rs.getInt(2)).isEqualTo(candles - 59);
                assertThat(rs.getInt(3)).as("the model is registered").isEqualTo(1);
            }
        }
    }

    /**
     * A run under a label with no rows inserts them; a second run under the same label finds them and upserts over
     * them, rather than fail on the first stored key (a statement rolled back) and restart.
     */
    @Test
    void aSecondRunUnderTheSameLabelRewritesItsRowsWithNoFailedStatement(@TempDir Path data) throws Exception {
        int candles =
                DemoSlice.write(data, "BTCUSDT", FROM, FROM + 99 * 60_000L).size();
        try (EmbeddedDatabase db = EmbeddedDatabase.startForTests()) {
            String first = BacktestCommand.printedBy(() -> BacktestMain.main(
                    BacktestCommand.flags(data, "again", db.writer().jdbcUrl())));
            long[] before = candleTuples(db);

            String second = BacktestCommand.printedBy(() -> BacktestMain.main(
                    BacktestCommand.flags(data, "again", db.writer().jdbcUrl())));

            long[] after = candleTuples(db);
            assertThat(after[0] - before[0])
                    .as("candle rows inserted by the second run, even by a statement rolled back")
                    .isZero();
            assertThat(after[1] - before[1]).as("candle rows it updated").isEqualTo(candles);
            assertThat(metrics(second)).isEqualTo(metrics(first)).contains("| BTCUSDT | 40 |");
            assertThat(BacktestCommand.stored(db.writer(), "again"))
                    .isEqualTo(new BacktestCommand.Stored(candles, candles - 59));
        }
    }

    /** The report without the line that times the run. */
    private static String metrics(String report) {
        return report.lines().filter(l -> !l.startsWith("The job stored")).collect(Collectors.joining("\n"));
    }

    /**
     * Rows inserted into the candles' partitions so far and rows updated, as PostgreSQL's statistics count them:
     * inserts of a statement that failed count too. A backend adds its counts as it exits, a moment after the run
     * closed its connection, so the counts are read until two readings agree.
     */
    private static long[] candleTuples(EmbeddedDatabase db) {
        long[][] last = {null};
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    long[] now = readCandleTuples(db);
                    boolean settled = Arrays.equals(now, last[0]);
                    last[0] = now;
                    return settled;
                });
        return last[0];
    }

    private static long[] readCandleTuples(EmbeddedDatabase db) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT coalesce(sum(n_tup_ins), 0), coalesce(sum(n_tup_upd), 0)"
                                + " FROM pg_stat_user_tables WHERE relid IN"
                                + " (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'candles'::regclass)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * A live job pauses every request until the next wall-clock minute once the exchange reports more request
     * weight than {@code --used-weight-limit}. With a limit of 1, every klines response of the replay exchange is
     * above it, and 2,100 candles take three requests of up to 1,000: a backtest that respected the limit would
     * wait for the next minute after the first and a whole minute after the second.
     */
    @Test
    void aBacktestDoesNotWaitForTheRequestWeightOfItsOwnReplayExchange(@TempDir Path data) throws Exception {
        int candles =
                DemoSlice.write(data, "ETHUSDT", FROM, FROM + 2_099 * 60_000L).size();
        try (EmbeddedDatabase db = EmbeddedDatabase.startForTests()) {
            long start = System.nanoTime();
            BacktestMain.main(BacktestCommand.flags(data, "weight", db.writer().jdbcUrl(), "--used-weight-limit", "1"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofSeconds(55));
            try (Connection c = DriverManager.getConnection(
                            db.writer().jdbcUrl(),
                            db.writer().user(),
                            db.writer().password());
                    ResultSet rs = c.createStatement()
                            .executeQuery("SELECT count(*) FROM candles WHERE exchange = 'binance@weight'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(candles);
            }
        }
    }
}
