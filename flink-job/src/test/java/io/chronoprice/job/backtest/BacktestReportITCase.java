package io.chronoprice.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestReportITCase {

    @Test
    void metricsFollowTheirDefinitionsOnHandCheckableRows() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.startForTests();
                Connection c = DriverManager.getConnection(
                        db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
                Statement st = c.createStatement()) {
            // last close 100 each time; actuals 101, 99, 100.5; predictions 100.5, 100.2, 100.1.
            st.execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                    + " VALUES ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:01Z', 100, 102, 98, 101, 1),"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:02Z', 100, 102, 98, 99, 1),"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:03Z', 100, 102, 98, 100.5, 1)");
            st.execute(
                    "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                            + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time) VALUES"
                            + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:01Z', 'v', 100.5, 99.5, 101.5, 100, '2021-05-14T00:00Z'),"
                            + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:02Z', 'v', 100.2, 99.5, 100.5, 100, '2021-05-14T00:01Z'),"
                            + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:03Z', 'v', 100.1, 99.0, 101.0, 100, '2021-05-14T00:02Z'),"
                            + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:04Z', 'v', 100.1, 99.0, 101.0, 100, '2021-05-14T00:03Z')");

            List<BacktestReport.Row> rows = BacktestReport.compute(db.writer(), "binance@t", "v");

            assertThat(rows).hasSize(1);
            BacktestReport.Row r = rows.get(0);
            assertThat(r.count())
                    .as("the unresolved 00:04 prediction is not judged")
                    .isEqualTo(3);
            assertThat(r.mae()).isCloseTo((0.5 + 1.2 + 0.4) / 3, within(1e-9));
            assertThat(r.mase()).isCloseTo((0.5 + 1.2 + 0.4) / (1 + 1 + 0.5), within(1e-9));
            assertThat(r.directionAccuracy()).isCloseTo(2.0 / 3, within(1e-9));
            assertThat(r.coverage()).isCloseTo(2.0 / 3, within(1e-9));
            // Winkler: widths 2, 1, 2 plus 10 x the 0.5 miss below 99.5 on the second row.
            assertThat(r.winkler()).isCloseTo((2 + (1 + 5) + 2) / 3.0, within(1e-9));
            assertThat(BacktestReport.format(rows)).contains("| BTCUSDT | 3 |");
        }
    }

    @Test
    void wilsonIntervalMatchesTheTextbookValue() {
        // 60 of 100: Wilson 95 % interval (0.5020, 0.6906).
        double[] ci = BacktestReport.wilson(60, 100);

        assertThat(ci[0]).isCloseTo(0.5020, within(1e-4));
        assertThat(ci[1]).isCloseTo(0.6906, within(1e-4));
    }
}
