package io.chronoprice.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronoprice.db.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestReportITCase {

    private static EmbeddedDatabase db;

    @BeforeAll
    static void seed() throws Exception {
        db = EmbeddedDatabase.startForTests();
        try (Connection c = DriverManager.getConnection(
                        db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
                Statement st = c.createStatement()) {
            // last close 100 each time; actuals 101, 99, 100.5; served 100.5, 100.2, 100.1; raw median 100 (no call)
            // then 99, 101; raw interval [99, 101]; rolling sigma 1 %, EWMA sigma 0.5 %.
            st.execute("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                    + " VALUES ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:01Z', 100, 102, 98, 101, 1),"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:02Z', 100, 102, 98, 99, 1),"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:03Z', 100, 102, 98, 100.5, 1)");
            st.execute("INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                    + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time,"
                    + " raw_predicted_close, raw_lower_close, raw_upper_close, guard_weight, calibration_lower,"
                    + " calibration_upper, window_scale, rolling_sigma, ewma_sigma) VALUES"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:01Z', 'v', 100.5, 99.5, 101.5, 100, '2021-05-14T00:00Z',"
                    + "  100, 99, 101, 0.5, 0, 0, 0.01, 0.01, 0.005),"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:02Z', 'v', 100.2, 99.5, 100.5, 100, '2021-05-14T00:01Z',"
                    + "  99, 99, 101, 0.5, 0, 0, 0.01, 0.01, 0.005),"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:03Z', 'v', 100.1, 99.0, 101.0, 100, '2021-05-14T00:02Z',"
                    + "  101, 99, 101, 0.5, 0, 0, 0.01, 0.01, 0.005),"
                    + " ('binance@t', 'BTCUSDT', '1m', '2021-05-14T00:04Z', 'v', 100.1, 99.0, 101.0, 100, '2021-05-14T00:03Z',"
                    + "  101, 99, 101, 0.5, 0, 0, 0.01, 0.01, 0.005)");
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void servedMetricsFollowTheirDefinitionsOnHandCheckableRows() throws Exception {
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
        // Winkler: widths 2, 1, 2 plus 10 x the 0.5 miss below 99.5 on the second row, in bps of the actual.
        double expected = 1e4 * (2 / 101.0 + (1 + 5) / 99.0 + 2 / 100.5) / 3;
        assertThat(r.winklerBps()).isCloseTo(expected, within(1e-9));
        assertThat(r.guardWeight()).isCloseTo(0.5, within(1e-12));
        assertThat(BacktestReport.format(rows)).contains("| BTCUSDT | 3 |");
    }

    @Test
    void rawForecastAndBaselinesAreJudgedOnTheSameRows() throws Exception {
        BacktestReport.Row r =
                BacktestReport.compute(db.writer(), "binance@t", "v").get(0);

        assertThat(r.rawMase()).isCloseTo((1 + 0 + 0.5) / (1 + 1 + 0.5), within(1e-9));
        assertThat(r.rawCoverage()).isCloseTo(1.0, within(1e-12));
        // The raw median made no call on the first row (it equals naive), then two hits.
        assertThat(r.rawDirectionAccuracy()).isCloseTo(1.0, within(1e-12));
        double lower = 100 * Math.exp(-1.2816 * 0.01);
        double upper = 100 * Math.exp(1.2816 * 0.01);
        double rolling = 1e4 * ((upper - lower) / 101.0 + (upper - lower) / 99.0 + (upper - lower) / 100.5) / 3;
        assertThat(r.rollingWinklerBps()).isCloseTo(rolling, within(1e-9));
        assertThat(r.rollingCoverage()).isCloseTo(1.0, within(1e-12));
        double ewmaLower = 100 * Math.exp(-1.2816 * 0.005);
        double ewmaUpper = 100 * Math.exp(1.2816 * 0.005);
        assertThat(r.ewmaCoverage()).as("101 and 99 fall outside +/-0.64 %").isCloseTo(1.0 / 3, within(1e-12));
        double ewma = 1e4
                * ((ewmaUpper - ewmaLower + 10 * (101 - ewmaUpper)) / 101.0
                        + (ewmaUpper - ewmaLower + 10 * (ewmaLower - 99)) / 99.0
                        + (ewmaUpper - ewmaLower) / 100.5)
                / 3;
        assertThat(r.ewmaWinklerBps()).isCloseTo(ewma, within(1e-9));
        assertThat(BacktestReport.format(List.of(r))).contains(String.format("%.3f |", r.winklerBps() / rolling));
    }

    @Test
    void exportWritesEveryForecastOfTheRunWithItsOutcome(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("forecasts.csv");

        long rows = BacktestReport.export(db.writer(), "binance@t", "v", csv);

        List<String> lines = Files.readAllLines(csv);
        assertThat(rows).isEqualTo(4);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0))
                .startsWith("exchange,symbol,interval,target_open_time,model_version,naive_close,actual_close,"
                        + "predicted_close,lower_close,upper_close,raw_predicted_close");
        assertThat(lines.get(2)).contains(",100,99,100.2,99.5,100.5,99,99,101,0.5,");
        assertThat(lines.get(4)).as("not resolved yet: no actual").contains(",100,,100.1,");
    }

    @Test
    void anExportOfAnUnknownRunHasTheHeaderOnly(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("none.csv");

        assertThat(BacktestReport.export(db.writer(), "binance@'; DROP TABLE candles; --", "v", csv))
                .isZero();
        assertThat(Files.readAllLines(csv)).hasSize(1);
    }
}
