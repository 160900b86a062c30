package io.chronoprice.job.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.OnnxModel;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.Predictor;
import io.chronoprice.job.scoring.RawForecast;
import io.chronoprice.job.source.DemoData;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The product's promises about the served forecast, on real candles out of model v2's training range
 * (models/testdata/2025: Binance 1m, 2025-07-14..17, inside v2's test split) with the shipped model.
 */
class OnlineServingOnRealCandlesTest {

    private static final Path SLICE = ParityFixture.MODELS_DIR.resolve("testdata/2025");
    private static final int DAY = 1440;

    /** Forecasts at the start of a run, and after the switch, that the coverage checks leave out. */
    static final int WARM_UP = 120;

    private static Predictor predictor;

    @BeforeAll
    static void loadModel() {
        predictor = new Predictor(OnnxModel.load(ParityFixture.model(ParityFixture.V3), "1m", 60), Clock.systemUTC());
    }

    @AfterAll
    static void closeModel() {
        predictor.close();
    }

    @Test
    void aModelThatOutputsPureNoiseIsServedNoWorseThanNaiveOverADay() throws Exception {
        List<Candle> candles = candles("BTCUSDT").subList(0, DAY + 60);
        Random random = new Random(42);
        UnaryOperator<RawForecast> noise = f -> withMedian(f, random.nextGaussian() * f.scale());

        List<Prediction> served = ServingReplay.serve(candles, predictor, ServingParams.DEFAULTS, noise);
        double[] actual = ServingReplay.actuals(served, candles);

        double naive = mae(served, actual, Prediction::naiveClose);
        assertThat(mae(served, actual, Prediction::rawPredictedClose))
                .as("the noise model alone is much worse than naive")
                .isGreaterThan(1.2 * naive);
        assertThat(mae(served, actual, Prediction::predictedClose)).isLessThanOrEqualTo(1.00 * naive);
    }

    @Test
    void aModelWithRealSkillEarnsWeightAndItsSkillShows() throws Exception {
        List<Candle> candles = candles("ETHUSDT").subList(0, DAY + 60);
        Map<Long, Double> closeAt = new HashMap<>();
        candles.forEach(c -> closeAt.put(c.openTimeMs(), c.close()));
        Random random = new Random(7);
        // Knows a third of the next move, blurred: a skill no real 1m model has, so that the guard has one to find.
        UnaryOperator<RawForecast> informed = f -> {
            double next = Math.log(closeAt.getOrDefault(f.targetOpenTimeMs(), f.lastClose()) / f.lastClose());
            return withMedian(f, next / 3 + 0.1 * random.nextGaussian() * f.scale());
        };

        List<Prediction> served = ServingReplay.serve(candles, predictor, ServingParams.DEFAULTS, informed);
        double[] actual = ServingReplay.actuals(served, candles);

        List<Prediction> secondHalf = served.subList(served.size() / 2, served.size());
        assertThat(secondHalf.stream()
                        .mapToDouble(Prediction::guardWeight)
                        .average()
                        .orElseThrow())
                .isGreaterThan(0.9);
        assertThat(mae(served, actual, Prediction::predictedClose))
                .isLessThan(0.9 * mae(served, actual, Prediction::naiveClose));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BTCUSDT", "ETHUSDT"})
    void coverageStaysAt80PercentWhenReturnsTripleHalfway(String symbol) throws Exception {
        List<Candle> real = candles(symbol);
        int half = real.size() / 2;
        List<Candle> candles = tripleReturnsFrom(real, half);

        List<Prediction> served = ServingReplay.serve(candles, predictor, ServingParams.DEFAULTS);
        double[] actual = ServingReplay.actuals(served, candles);

        long switchTime = candles.get(half).openTimeMs();
        List<Integer> before = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        for (int i = WARM_UP; i < served.size(); i++) {
            if (!Double.isNaN(actual[i])) {
                (served.get(i).targetOpenTimeMs() < switchTime ? before : after).add(i);
            }
        }
        assertThat(before).hasSizeGreaterThan(2500);
        assertThat(after).hasSizeGreaterThan(2500);
        assertThat(coverage(served, actual, before)).isBetween(0.78, 0.82);
        assertThat(coverage(served, actual, after)).isBetween(0.78, 0.82);
        assertThat(width(served, after) / width(served, before))
                .as("the interval followed the volatility")
                .isBetween(2.0, 4.5);
    }

    /** Real candles whose log-prices move three times as far from {@code from} on: same shape, triple volatility. */
    static List<Candle> tripleReturnsFrom(List<Candle> candles, int from) {
        double anchor = Math.log(candles.get(from - 1).close());
        List<Candle> out = new ArrayList<>(candles.subList(0, from));
        for (Candle c : candles.subList(from, candles.size())) {
            out.add(new Candle(
                    c.exchange(),
                    c.symbol(),
                    c.interval(),
                    c.openTimeMs(),
                    triple(c.open(), anchor),
                    triple(c.high(), anchor),
                    triple(c.low(), anchor),
                    triple(c.close(), anchor),
                    c.volume(),
                    c.missingBefore()));
        }
        return out;
    }

    private static double triple(double price, double anchor) {
        return Math.exp(anchor + 3 * (Math.log(price) - anchor));
    }

    private static List<Candle> candles(String symbol) {
        return DemoData.read(SLICE.resolve("binance_spot_" + symbol + "_1m.csv.gz"), "binance", symbol);
    }

    private static RawForecast withMedian(RawForecast f, double median) {
        return f.withQuantiles(median - (f.q50() - f.q10()), median, median + (f.q90() - f.q50()));
    }

    private static double mae(
            List<Prediction> served, double[] actual, java.util.function.ToDoubleFunction<Prediction> forecast) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < served.size(); i++) {
            if (!Double.isNaN(actual[i])) {
                sum += Math.abs(forecast.applyAsDouble(served.get(i)) - actual[i]);
                n++;
            }
        }
        return sum / n;
    }

    private static double coverage(List<Prediction> served, double[] actual, List<Integer> rows) {
        return rows.stream()
                        .filter(i -> served.get(i).lowerClose() <= actual[i]
                                && actual[i] <= served.get(i).upperClose())
                        .count()
                / (double) rows.size();
    }

    private static double width(List<Prediction> served, List<Integer> rows) {
        return rows.stream()
                .mapToDouble(
                        i -> Math.log(served.get(i).upperClose() / served.get(i).lowerClose()))
                .average()
                .orElseThrow();
    }
}
