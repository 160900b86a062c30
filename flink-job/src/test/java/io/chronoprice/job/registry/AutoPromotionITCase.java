package io.chronoprice.job.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.DemoData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The automatic promotion rule on real candles with predictions of known quality, in a real PostgreSQL. */
class AutoPromotionITCase {

    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

    private static EmbeddedDatabase db;
    private static ModelRegistry registry;

    @BeforeAll
    static void start() throws SQLException {
        db = EmbeddedDatabase.startForTests();
        registry = new ModelRegistry(db.writer());
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)"
                                + " VALUES ('binance', ?, '1m', ?, ?, ?, ?, ?, ?)")) {
            for (String symbol : SYMBOLS) {
                for (Candle k : DemoData.binance(symbol).subList(0, 600)) {
                    ps.setString(1, symbol);
                    ps.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(k.openTimeMs())));
                    ps.setDouble(3, k.open());
                    ps.setDouble(4, k.high());
                    ps.setDouble(5, k.low());
                    ps.setDouble(6, k.close());
                    ps.setDouble(7, k.volume());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void registryWithChampionV2AndChallengerV1() throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("TRUNCATE models, model_events, predictions CASCADE");
        }
        TestModels.add(registry, ParityFixture.V2);
        TestModels.add(registry, ParityFixture.V1);
    }

    @Test
    void aChallengerClearlyBetterOnEnoughTargetsIsPromotedAndTheReasonRecorded() throws SQLException {
        Random random = new Random(3);
        predict(ParityFixture.V2, 599, (last, actual) -> last);
        predict(
                ParityFixture.V1,
                599,
                (last, actual) -> last + 0.5 * (actual - last) + 1e-4 * last * random.nextGaussian());

        List<AutoPromotion.Verdict> verdicts = rule(500).run(registry, "1m");

        assertThat(verdicts).singleElement().satisfies(v -> {
            assertThat(v.test().n()).isEqualTo(2 * 599);
            assertThat(v.test().pValue()).isLessThan(0.05);
            assertThat(v.promote()).isTrue();
        });
        assertThat(registry.snapshot("1m").champion())
                .hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(ParityFixture.V1));
        assertThat(lastEvent()).startsWith("lstm-1m-v1 promoted auto-promotion Diebold-Mariano on 1198 targets");
    }

    @Test
    void tooFewTargetsOrAWorseChallengerChangeNothing() throws SQLException {
        predict(ParityFixture.V2, 599, (last, actual) -> last);
        predict(ParityFixture.V1, 599, (last, actual) -> last + 0.5 * (actual - last));
        assertThat(rule(5000).run(registry, "1m")).singleElement().satisfies(v -> assertThat(v.promote())
                .isFalse());

        try (Connection c = connect()) {
            c.createStatement()
                    .execute("UPDATE predictions SET predicted_close = 2 * naive_close - predicted_close"
                            + " WHERE model_version = 'lstm-1m-v1'");
        }
        assertThat(rule(500).run(registry, "1m")).singleElement().satisfies(v -> {
            assertThat(v.test().statistic()).isPositive();
            assertThat(v.promote()).isFalse();
        });
        assertThat(registry.snapshot("1m").champion())
                .hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(ParityFixture.V2));
    }

    private static AutoPromotion rule(long minPredictions) {
        return new AutoPromotion("binance", minPredictions, 0.05, Duration.ZERO);
    }

    /** Predictions of the first {@code count} targets of each symbol: predicted close = f(last close, actual). */
    private static void predict(String version, int count, DoubleBinaryOperator forecast) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO predictions (exchange, symbol, interval,"
                        + " target_open_time, model_version, predicted_close, naive_close, window_end_open_time)"
                        + " VALUES ('binance', ?, '1m', ?, ?, ?, ?, ?)")) {
            for (String symbol : SYMBOLS) {
                List<Candle> candles = DemoData.binance(symbol);
                for (int i = 1; i <= count; i++) {
                    double last = candles.get(i - 1).close();
                    ps.setString(1, symbol);
                    ps.setTimestamp(
                            2,
                            Timestamp.from(Instant.ofEpochMilli(candles.get(i).openTimeMs())));
                    ps.setString(3, version);
                    ps.setDouble(4, forecast.applyAsDouble(last, candles.get(i).close()));
                    ps.setDouble(5, last);
                    ps.setTimestamp(
                            6,
                            Timestamp.from(
                                    Instant.ofEpochMilli(candles.get(i - 1).openTimeMs())));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static String lastEvent() throws SQLException {
        try (Connection c = connect();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT model_version || ' ' || event || ' ' || actor || ' ' || (detail ->> 'reason')"
                                        + " FROM model_events ORDER BY id DESC LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
    }
}
