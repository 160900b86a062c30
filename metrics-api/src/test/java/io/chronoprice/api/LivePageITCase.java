package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.chronoprice.api.disclaimer.DisclaimerFilter;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.ExpectedComparison;
import io.chronoprice.api.support.ExpectedMetrics;
import io.chronoprice.api.support.HeadlessChromium;
import io.chronoprice.api.support.SeedData;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live page at {@code /} in real headless Chromium (Debian's, over the DevTools protocol): it loads without
 * console errors, charts the stored predictions, shows the tiles with the API's numbers and the disclaimer, the raw
 * model vs served table next to the baselines and the skill guard in plain words, and a candle plus a prediction
 * written during the test appear without a reload. The model picker defaults to the champion and labels each
 * version's status, the champion-vs-challenger table shows both versions on their common targets with the
 * Diebold-Mariano test (checked against an independent computation), and picking the challenger charts its series.
 * Writes target/live-page.png.
 *
 * <p>The page's series is its own exchange ('pagetest', real ETHUSDT candles) so the seeded series that other
 * tests recompute (and BadInputITCase's BTCUSDT row count) stay untouched.
 */
@MicronautTest(transactional = false)
class LivePageITCase extends ApiITCaseSupport {

    private static final String EXCHANGE = "pagetest";
    private static final String SYMBOL = "ETHUSDT";
    /** Candles 0..N-1 and predictions for targets 1..N are stored before the page loads. */
    private static final int N = 120;
    /** The challenger predicted the last C targets (N-C+1..N) only: it was added later. */
    private static final int C = 80;

    /** A backtest run's series (exchange name with the run's label) of the same candles under a symbol sorting first. */
    private static final String BACKTEST_EXCHANGE = "binance@pagetest";

    private static final String BACKTEST_SYMBOL = "AAAUSDT";
    private static final int BACKTEST_POINTS = 30;

    private static final Duration LOAD_BOUND = Duration.ofSeconds(40);
    /** Push is one poll (250 ms) plus queries; the rest is room for a loaded CI machine and the browser. */
    private static final Duration LIVE_BOUND = Duration.ofSeconds(15);

    private static final Path TARGET = Path.of("target");
    static final Path SCREENSHOT = TARGET.resolve("live-page.png");

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    private HeadlessChromium chromium;
    private List<SeedData.Candle> candles;
    private List<SeedData.Prediction> predictions;
    private List<SeedData.Prediction> challenger;

    @BeforeAll
    void seedPageSeriesAndStartChromium() throws Exception {
        candles = TestDatabase.seed().candles(SYMBOL);
        predictions = TestDatabase.seed().predictions(SYMBOL).stream()
                .filter(p -> p.modelVersion().equals(SeedData.MODEL_1))
                .toList();
        challenger = new ArrayList<>();
        for (int i = N - C + 1; i <= N; i++) {
            challenger.add(SeedData.challenger(candles, i)); // target: candle i
        }
        try (Connection writer = TestDatabase.writer()) {
            writer.setAutoCommit(false);
            for (int i = 0; i < N; i++) {
                TestDatabase.insertCandle(writer, EXCHANGE, candles.get(i));
                TestDatabase.insertPrediction(writer, EXCHANGE, predictions.get(i)); // target: candle i + 1
            }
            for (SeedData.Prediction p : challenger) {
                TestDatabase.insertPrediction(writer, EXCHANGE, p);
            }
            // A backtest run's series that /symbols lists before every live one (its symbol sorts first).
            for (int i = 0; i < BACKTEST_POINTS; i++) {
                SeedData.Candle c = candles.get(i);
                SeedData.Prediction p = predictions.get(i);
                TestDatabase.insertCandle(
                        writer,
                        BACKTEST_EXCHANGE,
                        new SeedData.Candle(
                                BACKTEST_SYMBOL, c.openTime(), c.open(), c.high(), c.low(), c.close(), c.volume()));
                TestDatabase.insertPrediction(
                        writer,
                        BACKTEST_EXCHANGE,
                        new SeedData.Prediction(
                                BACKTEST_SYMBOL,
                                p.modelVersion(),
                                p.target(),
                                p.windowEnd(),
                                p.predicted(),
                                p.lower(),
                                p.upper(),
                                p.naive(),
                                p.online()));
            }
            writer.commit();
        }
        chromium = HeadlessChromium.start(json, TARGET.resolve("chromium.log"), 1280, 900);
    }

    @AfterAll
    void stopChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void showsStoredAndLivePredictionsWithoutConsoleErrors() throws Exception {
        HttpResponse<String> index = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.getURL() + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(index.body()).contains("Educational demo, not trading advice");
        assertThat(index.headers().firstValue(DisclaimerFilter.HEADER)).contains(DisclaimerFilter.TEXT);
        // The static mapping (/**) does not answer for paths that have no file.
        HttpResponse<String> missing = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.getURL() + "/no-such-page.html"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);

        // The default page: the first tracked series, with its stored points.
        chromium.navigate(server.getURL() + "/");
        awaitState("s.ready");
        assertThat(state().get("points").getIntValue()).isPositive();
        assertThat(chromium.errors()).isEmpty();

        // The test's own series, chosen through the URL as a user's link would.
        chromium.navigate(server.getURL() + "/?exchange=" + EXCHANGE + "&symbol=ethusdt");
        awaitState("s.ready && s.metricsUpdates > 0");
        JsonNode loaded = state();
        assertThat(loaded.get("series").get("exchange").getStringValue()).isEqualTo(EXCHANGE);
        // The picker defaults to the champion (the served forecast) and labels every version with its status.
        assertThat(loaded.get("model").getStringValue()).isEqualTo(SeedData.MODEL_1);
        assertThat(loaded.get("modelStatus").getStringValue()).isEqualTo("champion");
        assertThat(chromium.evaluate("document.getElementById('model').value").getStringValue())
                .isEqualTo(SeedData.MODEL_1);
        assertThat(modelOptions())
                .containsExactly(SeedData.MODEL_1 + " · champion", SeedData.MODEL_2 + " · challenger");
        assertThat(loaded.get("chartModels").get(0).getStringValue()).isEqualTo(SeedData.MODEL_1);
        assertThat(loaded.get("points").getIntValue()).isEqualTo(N);
        assertThat(loaded.get("actualPoints").getIntValue()).isEqualTo(N - 1);
        assertThat(Instant.parse(loaded.get("lastTarget").getStringValue()))
                .isEqualTo(candles.get(N).openTime());

        // Tiles: the page shows the API's numbers, checked against an independent computation.
        assertThat(dataset("tile-mae", "resolved")).isEqualTo(String.valueOf(N - 1));
        assertThat(Double.parseDouble(dataset("tile-mae", "value"))).isCloseTo(expectedMae(N - 1), within(1e-6));
        assertThat(text("#tile-mase .value")).matches("\\d+\\.\\d{3}");
        assertThat(text("#tile-direction .detail")).contains("95 % CI");
        assertThat(text("#tile-coverage .detail")).contains("nominal 80.0 %");
        assertThat(chromium.evaluate("(() => { const r = document.getElementById('disclaimer').getBoundingClientRect();"
                                + " return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; })()")
                        .getBooleanValue())
                .as("disclaimer visible without scrolling")
                .isTrue();
        assertThat(text("#disclaimer")).contains("Educational demo, not trading advice");
        assertThat(chromium.evaluate("document.querySelectorAll('#chart canvas').length")
                        .getIntValue())
                .isPositive();

        // Raw model vs served forecast next to the naive and volatility baselines, on the same rows, checked
        // against the independent computation too.
        ExpectedMetrics expected = expected(N - 1);
        assertCell("cmp-mase-served", expected.mase());
        assertCell("cmp-mase-raw", expected.rawMase());
        assertCell("cmp-direction-served", rate(expected.direction()));
        assertCell("cmp-direction-raw", rate(expected.rawDirection()));
        assertCell("cmp-coverage-served", rate(expected.coverage()));
        assertCell("cmp-coverage-raw", rate(expected.rawCoverage()));
        assertCell("cmp-coverage-rolling", rate(expected.rollingCoverage()));
        assertCell("cmp-coverage-ewma", rate(expected.ewmaCoverage()));
        assertCell("cmp-winkler-served", expected.winklerBps());
        assertCell("cmp-winkler-raw", expected.rawWinklerBps());
        assertCell("cmp-winkler-rolling", expected.rollingWinklerBps());
        assertCell("cmp-winkler-ewma", expected.ewmaWinklerBps());
        assertThat(text("#cmp-mase-raw")).matches("\\d+\\.\\d{3}");
        assertThat(text("#cmp-winkler-rolling")).matches("\\d+\\.\\d");
        assertThat(text("#cmp-coverage-raw")).matches("\\d+\\.\\d %");
        assertThat(Double.parseDouble(dataset("compare-rows", "meanGuardWeight")))
                .isCloseTo(expected.meanGuardWeight(), within(1e-9));
        assertThat(text("#compare-rows")).contains("same " + (N - 1) + " resolved predictions");
        // The chart's dashed raw-model line, and the skill guard of the newest prediction in plain words.
        assertThat(state().get("rawPoints").getIntValue()).isEqualTo(N);
        double weight = predictions.get(N - 1).online().guardWeight();
        assertThat(weight)
                .as("the seed's newest page prediction serves the model")
                .isEqualTo(1.0);
        assertThat(Double.parseDouble(dataset("guard", "weight"))).isEqualTo(weight);
        assertThat(text("#guard")).startsWith("Guard weight 1: ").contains("Interval calibration");

        // Champion vs challenger on their common targets, with the Diebold-Mariano test, against an independent
        // computation: the challenger's resolved targets N-C+1..N-1.
        assertComparison(N - 1, SeedData.MODEL_1, SeedData.MODEL_2);
        assertThat(text("#versus-summary")).contains("same " + (C - 1) + " resolved targets");

        // Live: the target candle of the newest prediction arrives, then the next prediction. No reload.
        chromium.evaluate("window.__sameDocument = true");
        Thread.sleep(1000); // the stream is subscribed (the feed also looks back 2 s past its first poll)
        try (Connection writer = TestDatabase.writer()) {
            TestDatabase.insertCandle(writer, EXCHANGE, candles.get(N));
            TestDatabase.insertPrediction(writer, EXCHANGE, servedAsNaive(predictions.get(N)));
        }
        awaitState("s.points === " + (N + 1) + " && s.actualPoints === " + N, LIVE_BOUND);
        assertThat(Instant.parse(state().get("lastTarget").getStringValue()))
                .isEqualTo(candles.get(N + 1).openTime());
        assertThat(state().get("live").getStringValue()).isEqualTo("open");
        assertThat(chromium.evaluate("window.__sameDocument === true").getBooleanValue())
                .as("updated without a reload")
                .isTrue();
        // The new prediction was served with guard weight 0: the page says so, in plain words.
        awaitState("s.guardWeight === 0", LIVE_BOUND);
        assertThat(text("#guard"))
                .startsWith(
                        "Guard weight 0: the model has not beaten naive recently, so the naive forecast is served.");
        // The outcome refreshes the tiles.
        await().atMost(LIVE_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> String.valueOf(N)
                .equals(dataset("tile-mae", "resolved")));
        assertThat(Double.parseDouble(dataset("tile-mae", "value"))).isCloseTo(expectedMae(N), within(1e-6));

        chromium.screenshot(SCREENSHOT);

        // Picking the challenger charts its own series: its C points, all resolved now, its own forecasts.
        double championLast = state().get("lastPredicted").getDoubleValue();
        chromium.evaluate("(() => { const s = document.getElementById('model'); s.value = '" + SeedData.MODEL_2
                + "'; s.dispatchEvent(new Event('change')); })()");
        awaitState(
                "s.ready && s.model === '" + SeedData.MODEL_2 + "' && s.chartModels[0] === '" + SeedData.MODEL_2 + "'");
        JsonNode picked = state();
        assertThat(picked.get("modelStatus").getStringValue()).isEqualTo("challenger");
        assertThat(picked.get("chartModels").size()).isEqualTo(1);
        assertThat(picked.get("points").getIntValue()).isEqualTo(C);
        assertThat(picked.get("actualPoints").getIntValue()).isEqualTo(C);
        assertThat(Instant.parse(picked.get("lastTarget").getStringValue()))
                .isEqualTo(candles.get(N).openTime());
        double challengerLast = challenger.get(C - 1).predicted();
        assertThat(picked.get("lastPredicted").getDoubleValue())
                .isEqualTo(challengerLast)
                .isNotEqualTo(championLast);
        assertThat(text("#latest")).contains(SeedData.MODEL_2 + " (a challenger, not served)");
        assertThat(chromium.evaluate("location.search").getStringValue()).contains("model_version=" + SeedData.MODEL_2);
        assertThat(chromium.errors()).as("console errors").isEmpty();
    }

    /**
     * After a promotion, a fresh page defaults to the new champion and the comparison tests the old one against it.
     * The registry is put back whatever happens.
     */
    /**
     * The page opens on a live series even when /symbols lists a backtest run's first, lists the backtest series too
     * (labelled), and opens it from a link: the {@code @} of its exchange percent-encoded in the page's own URL and in
     * every request it makes, the stream included.
     */
    @Test
    void opensOnALiveSeriesByDefaultAndABacktestSeriesByLink() throws Exception {
        chromium.navigate(server.getURL() + "/");
        awaitState("s.ready");
        assertThat(state().get("series").get("exchange").getStringValue()).doesNotContain("@");
        // Other tests' backtest series may be there too (one database per test JVM): live ones first, then these.
        List<String> options = Arrays.asList(
                chromium.evaluate("[...document.querySelectorAll('#series option')].map(o => o.textContent).join('|')")
                        .getStringValue()
                        .split("\\|"));
        assertThat(options).contains(BACKTEST_SYMBOL + " · " + BACKTEST_EXCHANGE + " · 1m (backtest)");
        int firstBacktest = options.indexOf(options.stream()
                .filter(o -> o.endsWith("(backtest)"))
                .findFirst()
                .orElseThrow());
        assertThat(options.subList(0, firstBacktest)).isNotEmpty().noneMatch(o -> o.contains("@"));
        assertThat(options.subList(firstBacktest, options.size())).allMatch(o -> o.contains("@"));

        chromium.navigate(server.getURL() + "/?exchange=Binance%40PageTest&symbol=aaausdt");
        awaitState("s.ready && s.metricsUpdates > 0 && s.live === 'open'");
        JsonNode loaded = state();
        assertThat(loaded.get("series").get("exchange").getStringValue()).isEqualTo(BACKTEST_EXCHANGE);
        assertThat(loaded.get("series").get("symbol").getStringValue()).isEqualTo(BACKTEST_SYMBOL);
        assertThat(loaded.get("points").getIntValue()).isEqualTo(BACKTEST_POINTS);
        assertThat(loaded.get("actualPoints").getIntValue()).isEqualTo(BACKTEST_POINTS - 1);
        assertThat(dataset("tile-mae", "resolved")).isEqualTo(String.valueOf(BACKTEST_POINTS - 1));
        assertThat(chromium.evaluate("location.search").getStringValue())
                .contains("exchange=binance%40pagetest", "symbol=" + BACKTEST_SYMBOL);
        assertThat(chromium.errors()).isEmpty();
    }

    @Test
    void pickerFollowsAPromotion() throws Exception {
        TestDatabase.promote(SeedData.MODEL_2);
        try {
            chromium.navigate(server.getURL() + "/?exchange=" + EXCHANGE + "&symbol=ethusdt&window=24h");
            awaitState("s.ready && s.metricsUpdates > 0 && s.series.exchange === '" + EXCHANGE + "'");

            assertThat(state().get("model").getStringValue()).isEqualTo(SeedData.MODEL_2);
            assertThat(modelOptions())
                    .containsExactly(SeedData.MODEL_2 + " · champion", SeedData.MODEL_1 + " · challenger");
            assertThat(versusCell(SeedData.MODEL_2, "status")).isEqualTo("champion");
            assertThat(versusCell(SeedData.MODEL_1, "reading")).endsWith("at 5 %");
            assertThat(chromium.errors()).as("console errors").isEmpty();
        } finally {
            TestDatabase.restoreSeededStatuses();
        }
    }

    /**
     * The champion-vs-challenger table against {@link ExpectedComparison}: MAE and MASE of both versions on their
     * common targets, the DM statistic and p-value of the challenger and the plain reading, for a state where the
     * first {@code resolved} targets have their candle.
     */
    private void assertComparison(int resolved, String champion, String challengerVersion) throws Exception {
        Map<Instant, Double> closes = closes(resolved);
        List<SeedData.Prediction> rows = new ArrayList<>(predictions.subList(0, N));
        rows.addAll(challenger);
        ExpectedComparison expected = ExpectedComparison.of(
                rows, p -> Optional.ofNullable(closes.get(p.target())), champion, challengerVersion);
        assertThat(expected.commonTargets()).hasSize(C - 1);
        assertThat(dataset("versus-summary", "common")).isEqualTo(String.valueOf(C - 1));
        for (String version : List.of(champion, challengerVersion)) {
            ExpectedComparison.Version e = expected.versions().get(version);
            assertThat(versusValue(version, "mae")).as(version + " MAE").isCloseTo(e.mae(), within(1e-9 * e.mae()));
            assertThat(versusValue(version, "mase")).as(version + " MASE").isCloseTo(e.mase(), within(1e-9));
        }
        assertThat(versusCell(champion, "status")).isEqualTo("champion");
        assertThat(versusCell(challengerVersion, "status")).isEqualTo("challenger");
        assertThat(versusCell(champion, "dm-statistic")).isEqualTo("–");
        ExpectedComparison.Test dm = expected.test();
        assertThat(versusValue(challengerVersion, "dm-statistic")).isCloseTo(dm.statistic(), within(1e-9));
        assertThat(versusValue(challengerVersion, "dm-p")).isCloseTo(dm.pValue(), within(1e-6));
        assertThat(versusCell(challengerVersion, "dm-statistic")).isEqualTo(String.format("%.2f", dm.statistic()));
        String reading = dm.pValue() < 0.05
                ? (dm.statistic() < 0 ? "challenger" : "champion") + " better at 5 %"
                : "no significant difference at 5 %";
        assertThat(versusCell(challengerVersion, "reading")).isEqualTo(reading);
    }

    private List<String> modelOptions() throws Exception {
        JsonNode options = chromium.evaluate("[...document.getElementById('model').options].map(o => o.text)");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            texts.add(options.get(i).getStringValue());
        }
        return texts;
    }

    /** A cell of a version's row in the champion-vs-challenger table: its text. */
    private String versusCell(String version, String cls) throws Exception {
        return chromium.evaluate("document.querySelector('#versus-rows tr[data-version=\"" + version + "\"] ." + cls
                        + "').textContent")
                .getStringValue();
    }

    /** The exact number a cell of the champion-vs-challenger table keeps in data-value. */
    private double versusValue(String version, String cls) throws Exception {
        return Double.parseDouble(chromium.evaluate("document.querySelector('#versus-rows tr[data-version=\"" + version
                        + "\"] ." + cls + "').dataset.value")
                .getStringValue());
    }

    private Map<Instant, Double> closes(int resolved) {
        Map<Instant, Double> closes = new HashMap<>();
        for (int i = 1; i <= resolved; i++) {
            closes.put(candles.get(i).openTime(), candles.get(i).close());
        }
        return closes;
    }

    /** The same prediction served as the naive forecast itself, as the job serves it at guard weight 0. */
    private static SeedData.Prediction servedAsNaive(SeedData.Prediction p) {
        SeedData.Online o = p.online();
        return new SeedData.Prediction(
                p.symbol(),
                p.modelVersion(),
                p.target(),
                p.windowEnd(),
                p.naive(),
                p.naive() * Math.exp(-0.0012),
                p.naive() * Math.exp(0.0010),
                p.naive(),
                new SeedData.Online(
                        o.rawPredicted(),
                        o.rawLower(),
                        o.rawUpper(),
                        0.0,
                        o.calibrationLower(),
                        o.calibrationUpper(),
                        o.windowScale(),
                        o.rollingSigma(),
                        o.ewmaSigma()));
    }

    /** Every metric over the page series' stored predictions, of which the first {@code resolved} have an actual. */
    private ExpectedMetrics expected(int resolved) {
        Map<Instant, Double> closes = closes(resolved);
        return ExpectedMetrics.of(predictions.subList(0, N), p -> Optional.ofNullable(closes.get(p.target())));
    }

    private static Double rate(ExpectedMetrics.Counts counts) {
        return counts.total() == 0 ? null : (double) counts.hits() / counts.total();
    }

    /** A comparison cell shows a number and keeps the exact value in data-value. */
    private void assertCell(String id, Double expected) throws Exception {
        assertThat(expected).as(id + " expected").isNotNull();
        assertThat(Double.parseDouble(dataset(id, "value")))
                .as(id)
                .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }

    /** MAE of the first {@code resolved} predictions of the page's series against the real closes. */
    private double expectedMae(int resolved) {
        double sum = 0;
        for (int i = 0; i < resolved; i++) {
            sum += Math.abs(predictions.get(i).predicted() - candles.get(i + 1).close());
        }
        return sum / resolved;
    }

    private JsonNode state() throws Exception {
        return chromium.evaluate("window.chronoprice");
    }

    private String dataset(String id, String key) throws Exception {
        return chromium.evaluate("document.getElementById('" + id + "').dataset." + key)
                .getStringValue();
    }

    private String text(String selector) throws Exception {
        return chromium.evaluate("document.querySelector('" + selector + "').textContent")
                .getStringValue();
    }

    private void awaitState(String condition) {
        awaitState(condition, LOAD_BOUND);
    }

    /** Waits for a condition on {@code s = window.chronoprice}; fails early with the page's errors. */
    private void awaitState(String condition, Duration bound) {
        await().atMost(bound).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(chromium.errors()).as("console errors").isEmpty();
            return chromium.evaluate("(() => { const s = window.chronoprice; return !!s && !!(" + condition + "); })()")
                    .getBooleanValue();
        });
    }
}
