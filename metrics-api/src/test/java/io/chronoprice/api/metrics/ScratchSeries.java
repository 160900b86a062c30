package io.chronoprice.api.metrics;

import io.chronoprice.api.support.TestDatabase;
import io.micronaut.http.client.HttpClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A BTCUSDT series of the report-cache tests under an exchange of its own, so that no other test reads it: written
 * as the writer role, read through the API's {@code /metrics/model?window=all}.
 */
final class ScratchSeries {

    private final String exchange;

    ScratchSeries(String exchange) {
        this.exchange = exchange;
    }

    void candle(String openTime) throws SQLException {
        write("INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                + " VALUES ('" + exchange + "', 'BTCUSDT', '1m', '" + openTime + "', 1, 1, 1, 1, 1)");
    }

    void prediction(String target) throws SQLException {
        write("INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version,"
                + " predicted_close, lower_close, upper_close, naive_close, window_end_open_time)"
                + " VALUES ('" + exchange + "', 'BTCUSDT', '1m', '" + target + "', 'lstm-1m-v2', 1, 0.9, 1.1, 1,"
                + " '2021-05-14 18:00Z')");
    }

    /** Its rows, and the accuracy sums and markers they left. */
    void remove() throws SQLException {
        TestDatabase.deleteExchange(exchange);
    }

    /** The predictions the API's report counts, over every version. */
    long predictions(HttpClient http) {
        String url = "/metrics/model?exchange=" + URLEncoder.encode(exchange, StandardCharsets.UTF_8)
                + "&symbol=BTCUSDT&window=all";
        MetricsReport report = http.toBlocking().retrieve(url, MetricsReport.class);
        return report.models().stream().mapToLong(ModelMetrics::predictions).sum();
    }

    private static void write(String sql) throws SQLException {
        try (Connection c = TestDatabase.writer();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
