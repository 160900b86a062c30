package io.chronoprice.job.features;

import io.chronoprice.job.candle.Candle;
import java.util.Arrays;
import java.util.List;

/**
 * Feature spec 2 (models lstm-1m-v2 and lstm-1m-v3), regime-free: the price features of spec 1 divided by the window's own
 * volatility scale ({@link WindowVolatility#scale}), the relative volume, and calendar terms of each candle's
 * open time (UTC), because volatility at 1m is strongly seasonal within the day, the week and the hour.
 * The model's outputs are in units of the scale.
 *
 * <p>Per candle t, in order: return_z, close_rel_z, high_low_z, close_open_z, log_volume_rel, sin/cos of the
 * minute of the day (/1440), of the day of the week (Monday 0, /7) and of the minute of the hour (/60).
 */
public final class FeaturesV2 implements FeatureSpec {

    public static final String VERSION = "2";
    /** The models' outputs are in units of the window's volatility scale. */
    public static final String OUTPUT_UNITS = "window_scale";

    public static final List<String> NAMES = List.of(
            "return_z",
            "close_rel_z",
            "high_low_z",
            "close_open_z",
            "log_volume_rel",
            "day_sin",
            "day_cos",
            "week_sin",
            "week_cos",
            "hour_sin",
            "hour_cos");
    public static final FeaturesV2 INSTANCE = new FeaturesV2();

    private static final long MINUTE_MS = 60_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final double[] DAY_SIN = calendar(1440, false);
    private static final double[] DAY_COS = calendar(1440, true);
    private static final double[] WEEK_SIN = calendar(7, false);
    private static final double[] WEEK_COS = calendar(7, true);
    private static final double[] HOUR_SIN = calendar(60, false);
    private static final double[] HOUR_COS = calendar(60, true);

    private FeaturesV2() {}

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String outputUnits() {
        return OUTPUT_UNITS;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[][] compute(Candle[] window) {
        int count = NAMES.size();
        double[] flat = new double[window.length * count];
        fill(window, flat);
        double[][] features = new double[window.length][];
        for (int t = 0; t < window.length; t++) {
            features[t] = Arrays.copyOfRange(flat, t * count, (t + 1) * count);
        }
        return features;
    }

    @Override
    public double computeInto(Candle[] window, float[] out, int offset) {
        double[] flat = new double[window.length * NAMES.size()];
        double scale = fill(window, flat);
        for (int i = 0; i < flat.length; i++) {
            out[offset + i] = (float) flat[i];
        }
        return scale;
    }

    /**
     * Writes the features row-major into {@code out} and returns the window's scale. Each logarithm is taken
     * once (the scale and the price features share the returns and the ranges), and the calendar terms come
     * from tables: the job calls this for every window.
     */
    private static double fill(Candle[] window, double[] out) {
        int n = window.length;
        double lastClose = window[n - 1].close();
        double meanVolume = FeaturesV1.meanVolume(window);
        double scaleTerms = 0;
        double previousClose = window[0].open();
        for (int t = 0, i = 0; t < n; t++, i += NAMES.size()) {
            Candle c = window[t];
            double r = Math.log(c.close() / previousClose);
            double hl = Math.log(c.high() / c.low());
            out[i] = r;
            out[i + 1] = Math.log(c.close() / lastClose);
            out[i + 2] = hl;
            out[i + 3] = Math.log(c.close() / c.open());
            scaleTerms += WindowVolatility.scaleTerm(r, hl);
            previousClose = c.close();
        }
        double scale = WindowVolatility.scaleOf(scaleTerms, n);
        double inverse = scale > 0 ? 1 / scale : 0;
        for (int t = 0, i = 0; t < n; t++, i += NAMES.size()) {
            Candle c = window[t];
            long openTime = c.openTimeMs();
            long minute = Math.floorDiv(openTime, MINUTE_MS);
            int minuteOfDay = (int) Math.floorMod(minute, 1440);
            int dayOfWeek = (int) Math.floorMod(Math.floorDiv(openTime, DAY_MS) + 3, 7);
            int minuteOfHour = (int) Math.floorMod(minute, 60);
            out[i] *= inverse;
            out[i + 1] *= inverse;
            out[i + 2] *= inverse;
            out[i + 3] *= inverse;
            out[i + 4] = Math.log1p(c.volume() / (meanVolume + FeaturesV1.VOLUME_EPS));
            out[i + 5] = DAY_SIN[minuteOfDay];
            out[i + 6] = DAY_COS[minuteOfDay];
            out[i + 7] = WEEK_SIN[dayOfWeek];
            out[i + 8] = WEEK_COS[dayOfWeek];
            out[i + 9] = HOUR_SIN[minuteOfHour];
            out[i + 10] = HOUR_COS[minuteOfHour];
        }
        return scale;
    }

    @Override
    public double outputScale(Candle[] window) {
        return WindowVolatility.scale(window);
    }

    /** sin or cos of 2 pi x k / period for every k, as {@code features.py} computes each calendar term. */
    private static double[] calendar(int period, boolean cosine) {
        double[] table = new double[period];
        for (int k = 0; k < period; k++) {
            double angle = 2 * Math.PI * k / period;
            table[k] = cosine ? Math.cos(angle) : Math.sin(angle);
        }
        return table;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
