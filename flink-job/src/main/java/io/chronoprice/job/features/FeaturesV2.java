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

    private FeaturesV2() {}

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String outputUnits() {
        return "window_scale";
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

    @Override
    public double outputScale(Candle[] window) {
        return WindowVolatility.scale(window);
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
