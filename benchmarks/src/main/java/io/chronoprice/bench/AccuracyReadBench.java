package io.chronoprice.bench;

import io.chronoprice.db.AccuracyRollups;
import io.chronoprice.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * What {@code prediction_accuracy()} (the SQL behind {@code /metrics/model}) costs as one series grows: an embedded
 * PostgreSQL is filled to each row count given (one 1m series, one model version, a candle per target), the prefix
 * sums are refreshed, and the function is called 2,000 times on one connection for the whole history and for the
 * last 24 hours. The rows are synthetic (a sine plus noise): only their number matters here; the equality of the
 * answers with the row-level computation is tested on real candles (AccuracyRollupITCase).
 *
 * <pre>java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     io.chronoprice.bench.AccuracyReadBench 10000 1000000 10000000</pre>
 */
public final class AccuracyReadBench {

    private static final int CALLS = 2_000;
    private static final String SERIES = "'binance', 'BTCUSDT', '1m'";

    private AccuracyReadBench() {}

    public static void main(String[] args) throws SQLException {
        long[] sizes = args.length == 0
                ? new long[] {10_000, 1_000_000}
                : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        System.out.println("| rows | fill s | refresh s | window | p50 ms | p99 ms | calls/s (1 connection) |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (EmbeddedDatabase db = EmbeddedDatabase.startForTests();
                Connection c = db.writer().connect()) {
            long stored = 0;
            for (long rows : sizes) {
                long t0 = System.nanoTime();
                fill(c, stored, rows);
                long t1 = System.nanoTime();
                AccuracyRollups.refresh(c);
                long t2 = System.nanoTime();
                try (Statement st = c.createStatement()) {
                    st.execute("VACUUM ANALYZE");
                }
                stored = rows;
                for (String window : new String[] {"all", "24 hours"}) {
                    double[] ms = time(c, window);
                    System.out.printf(
                            "| %,d | %.1f | %.1f | %s | %.3f | %.3f | %,.0f |%n",
                            rows, (t1 - t0) / 1e9, (t2 - t1) / 1e9, window, ms[0], ms[1], ms[2]);
                }
            }
        }
    }

    /** Candles and predictions for minutes [from, to) of 2020 onwards; the first minute has no prediction. */
    private static void fill(Connection c, long from, long to) throws SQLException {
        String minute = "timestamptz '2020-01-01' + make_interval(mins => g::int)";
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                    + " SELECT " + SERIES + ", " + minute + ", 100, 101, 99, 100 + sin(g / 50.0) + random(), 1"
                    + " FROM generate_series(" + from + ", " + (to - 1) + ") g");
            st.execute("INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                    + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time,"
                    + " raw_predicted_close, raw_lower_close, raw_upper_close, guard_weight, rolling_sigma, ewma_sigma)"
                    + " SELECT " + SERIES + ", " + minute + ", 'v2', 100 + random(), 99, 101.5, 100.2,"
                    + " " + minute + " - interval '1 minute', 100 + random(), 99, 101.5, 0.5, 0.001, 0.001"
                    + " FROM generate_series(" + Math.max(1, from) + ", " + (to - 1) + ") g");
        }
    }

    /** p50 and p99 latency in ms and calls per second, after 200 warm-up calls. */
    private static double[] time(Connection c, String window) throws SQLException {
        String after = window.equals("all")
                ? "NULL"
                : "(SELECT max(target_open_time) FROM predictions WHERE (exchange, symbol, interval) = (" + SERIES
                        + ")) - interval '" + window + "'";
        try (PreparedStatement ps =
                c.prepareStatement("SELECT * FROM prediction_accuracy(" + SERIES + ", " + after + ")")) {
            long[] nanos = new long[CALLS];
            long start = 0;
            for (int i = -200; i < CALLS; i++) {
                if (i == 0) {
                    start = System.nanoTime();
                }
                long t = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getDouble("mase");
                    }
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(nanos);
            return new double[] {nanos[CALLS / 2] / 1e6, nanos[CALLS * 99 / 100] / 1e6, CALLS / seconds};
        }
    }
}
