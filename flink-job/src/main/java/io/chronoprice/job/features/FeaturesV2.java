package io.chronoprice.job.features;

import io.chronoprice.job.candle.Candle;
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

    /** Spec 1's price features divided by the scale (reordered, return first), then the calendar terms. */
    @Override
    public double[][] compute(Candle[] window) {
        double[][] price = FeaturesV1.INSTANCE.compute(window);
        double scale = WindowVolatility.scale(window);
        double inverse = scale > 0 ? 1 / scale : 0;
        double[][] features = new double[window.length][];
        for (int t = 0; t < window.length; t++) {
            double[] p = price[t];
            long openTime = window[t].openTimeMs();
            long minute = Math.floorDiv(openTime, MINUTE_MS);
            double day = 2 * Math.PI * Math.floorMod(minute, 1440) / 1440;
            double week = 2 * Math.PI * Math.floorMod(Math.floorDiv(openTime, DAY_MS) + 3, 7) / 7;
            double hour = 2 * Math.PI * Math.floorMod(minute, 60) / 60;
            features[t] = new double[] {
                p[1] * inverse,
                p[0] * inverse,
                p[2] * inverse,
                p[3] * inverse,
                p[4],
                Math.sin(day),
                Math.cos(day),
                Math.sin(week),
                Math.cos(week),
                Math.sin(hour),
                Math.cos(hour)
            };
        }
        return features;
    }

    /**
     * What {@link #compute} gives, cast to float32, without its intermediate arrays: each logarithm once (the
     * scale and the features share the returns and ranges) and the calendar terms from tables filled with the
     * same expressions, so the values are the same to the bit.
     */
    @Override
    public double computeInto(Candle[] window, float[] out, int offset) {
        int n = window.length;
        double lastClose = window[n - 1].close();
        double meanVolume = FeaturesV1.meanVolume(window);
        double[] logs = new double[4 * n];
        double squares = 0;
        double previousClose = window[0].open();
        for (int t = 0; t < n; t++) {
            Candle c = window[t];
            double r = Math.log(c.close() / previousClose);
            double hl = Math.log(c.high() / c.low());
            logs[4 * t] = r;
            logs[4 * t + 1] = Math.log(c.close() / lastClose);
            logs[4 * t + 2] = hl;
            logs[4 * t + 3] = Math.log(c.close() / c.open());
            squares += r * r + hl * hl / WindowVolatility.PARKINSON;
            previousClose = c.close();
        }
        double scale = Math.sqrt(squares / (2.0 * n));
        double inverse = scale > 0 ? 1 / scale : 0;
        int i = offset;
        for (int t = 0; t < n; t++) {
            Candle c = window[t];
            long openTime = c.openTimeMs();
            long minute = Math.floorDiv(openTime, MINUTE_MS);
            int minuteOfDay = (int) Math.floorMod(minute, 1440);
            int dayOfWeek = (int) Math.floorMod(Math.floorDiv(openTime, DAY_MS) + 3, 7);
            int minuteOfHour = (int) Math.floorMod(minute, 60);
            out[i++] = (float) (logs[4 * t] * inverse);
            out[i++] = (float) (logs[4 * t + 1] * inverse);
            out[i++] = (float) (logs[4 * t + 2] * inverse);
            out[i++] = (float) (logs[4 * t + 3] * inverse);
            out[i++] = (float) Math.log1p(c.volume() / (meanVolume + FeaturesV1.VOLUME_EPS));
            out[i++] = (float) DAY_SIN[minuteOfDay];
            out[i++] = (float) DAY_COS[minuteOfDay];
            out[i++] = (float) WEEK_SIN[dayOfWeek];
            out[i++] = (float) WEEK_COS[dayOfWeek];
            out[i++] = (float) HOUR_SIN[minuteOfHour];
            out[i++] = (float) HOUR_COS[minuteOfHour];
        }
        return scale;
    }

    @Override
    public double outputScale(Candle[] window) {
        return WindowVolatility.scale(window);
    }

    /** sin or cos of 2 pi x k / period for every k, computed as {@link #compute} computes each term. */
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
