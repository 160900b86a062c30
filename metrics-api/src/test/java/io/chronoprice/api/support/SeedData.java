package io.chronoprice.api.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The test data: real Binance 1m candles (test resources, see candles/README.md) and predictions derived from
 * them deterministically, kept in memory so tests can compute expected values independently of the API.
 *
 * <p>Predictions imitate the job's two kinds of rows. Rows written before migration V4 have only the served
 * forecast (the first {@link #LEGACY_TARGETS} targets of {@link #MODEL_1} on BTCUSDT). Every other row also has
 * the raw model forecast, the guard weight and calibration offsets and the baselines' sigmas, and its served
 * forecast is derived from the raw one as the job derives it (in log-returns from the last close): median {@code w
 * x q50}, so that a guard weight of exactly 0 (about half of the rows) serves the naive forecast itself and makes
 * no directional call, and an interval whose half-widths are the raw ones scaled by {@code exp(calibration)}.
 *
 * <p>Both versions are registered (migration V5): {@link #MODEL_1} is the champion of the 1m interval (its forecast
 * is the served one), {@link #MODEL_2} a challenger scored beside it on BTCUSDT's last {@link #MODEL_2_TARGETS}
 * targets, each with its artifact's bytes and lifecycle events ({@link #MODELS}).
 */
public final class SeedData {

    public static final String EXCHANGE = "binance";
    public static final String INTERVAL = "1m";
    public static final String MODEL_1 = "lstm-test-1";
    /** A second model, on BTCUSDT only, for its last {@link #MODEL_2_TARGETS} targets. */
    public static final String MODEL_2 = "lstm-test-2";

    public static final int MODEL_2_TARGETS = 100;
    /** The first targets of MODEL_1 on BTCUSDT are pre-V4 rows, without raw forecast, guard or sigmas. */
    public static final int LEGACY_TARGETS = 200;

    /** A lifecycle event of a registered version, as model_events keeps it. */
    public record Event(String event, String actor, Instant at, String reason) {}

    /** A registered version: its status now, when that was set, the size of its artifact and its events, oldest first. */
    public record Model(
            String version,
            String status,
            Instant statusChangedAt,
            Instant createdAt,
            String sha256,
            int artifactBytes,
            List<Event> events) {

        public Event latestEvent() {
            return events.get(events.size() - 1);
        }
    }

    /** The registry as seeded: the champion, then the challenger added a month later. */
    public static final List<Model> MODELS = List.of(
            new Model(
                    MODEL_1,
                    "champion",
                    Instant.parse("2026-01-03T09:00:00Z"),
                    Instant.parse("2026-01-02T00:00:00Z"),
                    "ab".repeat(32),
                    3_000,
                    List.of(
                            new Event("added", "ci", Instant.parse("2026-01-02T08:00:00Z"), "first model"),
                            new Event(
                                    "promoted",
                                    "alice",
                                    Instant.parse("2026-01-03T09:00:00Z"),
                                    "beats the naive forecast offline"))),
            new Model(
                    MODEL_2,
                    "challenger",
                    Instant.parse("2026-02-01T10:00:00Z"),
                    Instant.parse("2026-02-01T00:00:00Z"),
                    "cd".repeat(32),
                    4_096,
                    List.of(new Event(
                            "added", "bob", Instant.parse("2026-02-01T10:00:00Z"), "retrained on more data"))));

    /** A real candle row. */
    public record Candle(
            String symbol, Instant openTime, double open, double high, double low, double close, double volume) {}

    /**
     * A seeded prediction; the target of the last one per symbol has no candle yet (unresolved). {@code online}
     * is null for a row written before the job recorded its raw forecast (pre-V4).
     */
    public record Prediction(
            String symbol,
            String modelVersion,
            Instant target,
            Instant windowEnd,
            double predicted,
            double lower,
            double upper,
            double naive,
            Online online) {

        /** A pre-V4 row: the served forecast only. */
        public Prediction(
                String symbol,
                String modelVersion,
                Instant target,
                Instant windowEnd,
                double predicted,
                double lower,
                double upper,
                double naive) {
            this(symbol, modelVersion, target, windowEnd, predicted, lower, upper, naive, null);
        }

        /** The same forecast as if another version had made it. */
        public Prediction withModelVersion(String version) {
            return new Prediction(symbol, version, target, windowEnd, predicted, lower, upper, naive, online);
        }
    }

    /** The V4 columns of a prediction row: the raw forecast, the online layers' state and the baselines' sigmas. */
    public record Online(
            double rawPredicted,
            double rawLower,
            double rawUpper,
            double guardWeight,
            double calibrationLower,
            double calibrationUpper,
            double windowScale,
            double rollingSigma,
            double ewmaSigma) {}

    private final Map<String, List<Candle>> candles = new TreeMap<>();
    private final List<Prediction> predictions = new ArrayList<>();

    /**
     * Window starts for comparing a rollup with the rows: none (all history), a day before {@code first}; every
     * {@code stepMinutes} from the hour of {@code first} up to {@code last}, that time, its hour and the minute before
     * its hour (starts on, just after and between hour boundaries); then a minute before {@code last}, and
     * {@code last}.
     */
    public static List<Instant> windowStarts(Instant first, Instant last, int stepMinutes) {
        List<Instant> starts = new ArrayList<>();
        starts.add(null);
        starts.add(first.minus(1, ChronoUnit.DAYS));
        for (Instant t = first.truncatedTo(ChronoUnit.HOURS);
                !t.isAfter(last);
                t = t.plus(stepMinutes, ChronoUnit.MINUTES)) {
            starts.add(t);
            starts.add(t.truncatedTo(ChronoUnit.HOURS));
            starts.add(t.truncatedTo(ChronoUnit.HOURS).minusSeconds(60));
        }
        starts.add(last.minusSeconds(60));
        starts.add(last);
        return starts;
    }

    public static SeedData load() {
        SeedData data = new SeedData();
        data.addSymbol("BTCUSDT", 0.3);
        data.addSymbol("ETHUSDT", 1.1);
        return data;
    }

    private void addSymbol(String symbol, double phase) {
        List<Candle> rows = readCandles(symbol);
        candles.put(symbol, rows);
        // Target i is candle i (or, for i == size, the not-yet-closed next candle); its input ends at candle i-1.
        for (int i = 1; i <= rows.size(); i++) {
            Candle last = rows.get(i - 1);
            Instant target = last.openTime().plusSeconds(60);
            double naive = last.close();
            double move1 = 0.0008 * Math.sin(1.7 * i + phase);
            predictions.add(
                    symbol.equals("BTCUSDT") && i <= LEGACY_TARGETS
                            ? legacy(symbol, MODEL_1, target, last, naive, move1, i)
                            : served(symbol, MODEL_1, target, last, naive, move1, i, phase));
            if (symbol.equals("BTCUSDT") && i > rows.size() - MODEL_2_TARGETS) {
                predictions.add(challenger(rows, i));
            }
        }
    }

    /**
     * The challenger's prediction for target {@code i} of a series of candles (its input ends at candle i-1): its own
     * raw median and guard weights, so its served errors differ from the champion's on the same target.
     */
    public static Prediction challenger(List<Candle> rows, int i) {
        Candle last = rows.get(i - 1);
        return served(
                last.symbol(),
                MODEL_2,
                last.openTime().plusSeconds(60),
                last,
                last.close(),
                0.0005 * Math.cos(0.9 * i),
                i,
                2.0);
    }

    private static Prediction legacy(
            String symbol, String model, Instant target, Candle last, double naive, double move, int i) {
        double predicted = naive * (1 + move);
        double halfWidth = naive * 0.0012 * (1 + 0.5 * Math.cos(0.3 * i));
        return new Prediction(
                symbol, model, target, last.openTime(), predicted, predicted - halfWidth, predicted + halfWidth, naive);
    }

    /** A V4 row whose raw median is the log-return {@code q50}, served as the job serves it. */
    private static Prediction served(
            String symbol, String model, Instant target, Candle last, double naive, double q50, int i, double phase) {
        double down = 0.0012 * (1 + 0.5 * Math.cos(0.3 * i));
        double up = 0.0010 * (1 + 0.5 * Math.sin(0.4 * i + phase));
        // Clamped to [0, 1]: exactly 0 on about half of the rows, exactly 1 on a few, in between otherwise.
        double weight = Math.max(0, Math.min(1, 1.6 * Math.sin(0.21 * i + phase)));
        double thetaLower = 0.25 * Math.sin(0.07 * i);
        double thetaUpper = 0.2 * Math.cos(0.11 * i + phase);
        double median = weight * q50;
        Online online = new Online(
                naive * Math.exp(q50),
                naive * Math.exp(q50 - down),
                naive * Math.exp(q50 + up),
                weight,
                thetaLower,
                thetaUpper,
                0.0007 * (1 + 0.3 * Math.sin(0.19 * i)),
                0.0009 * (1 + 0.5 * Math.sin(0.13 * i + phase)),
                0.0008 * (1 + 0.5 * Math.cos(0.17 * i)));
        return new Prediction(
                symbol,
                model,
                target,
                last.openTime(),
                naive * Math.exp(median),
                naive * Math.exp(median - Math.exp(thetaLower) * down),
                naive * Math.exp(median + Math.exp(thetaUpper) * up),
                naive,
                online);
    }

    private static List<Candle> readCandles(String symbol) {
        String resource = "/candles/binance_spot_" + symbol + "_1m.csv.gz";
        try (InputStream in = SeedData.class.getResourceAsStream(resource);
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            return reader.lines()
                    .skip(1)
                    .map(line -> line.split(","))
                    .map(f -> new Candle(
                            symbol,
                            Instant.ofEpochMilli(Long.parseLong(f[0])),
                            Double.parseDouble(f[1]),
                            Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]),
                            Double.parseDouble(f[5])))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Candle> candles(String symbol) {
        return candles.get(symbol);
    }

    public Candle lastCandle(String symbol) {
        List<Candle> rows = candles(symbol);
        return rows.get(rows.size() - 1);
    }

    public List<Candle> allCandles() {
        return candles.values().stream().flatMap(List::stream).toList();
    }

    public List<Prediction> predictions() {
        return predictions;
    }

    public List<Prediction> predictions(String symbol) {
        return predictions.stream().filter(p -> p.symbol().equals(symbol)).toList();
    }

    /** The close of the candle a prediction targets, if it exists. */
    public Optional<Double> actual(Prediction p) {
        return candles(p.symbol()).stream()
                .filter(c -> c.openTime().equals(p.target()))
                .map(Candle::close)
                .findFirst();
    }
}
