package io.chronoprice.job.features;

import io.chronoprice.job.candle.Candle;
import java.util.List;

/**
 * Feature spec 2 (model lstm-1m-v2), regime-free: the price features of spec 1 divided by the window's own
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

    private static final int COUNT = NAMES.size();
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

    @Override
    public double[][] compute(Candle[] window) {
        double[][] features = new double[window.length][COUNT];
        double scale = WindowVolatility.scale(window);
        double inverse = scale > 0 ? 1 / scale : 0;
        double lastClose = window[window.length - 1].close();
        double meanVolume = FeaturesV1.meanVolume(window);
        double previousClose = window[0].open();
        for (int t = 0; t < window.length; t++) {
            Candle c = window[t];
            double[] row = features[t];
            row[0] = Math.log(c.close() / previousClose) * inverse;
            row[1] = Math.log(c.close() / lastClose) * inverse;
            row[2] = Math.log(c.high() / c.low()) * inverse;
            row[3] = Math.log(c.close() / c.open()) * inverse;
            row[4] = Math.log1p(c.volume() / (meanVolume + FeaturesV1.VOLUME_EPS));
            long minute = Math.floorDiv(c.openTimeMs(), MINUTE_MS);
            double day = 2 * Math.PI * Math.floorMod(minute, 1440) / 1440;
            double week = 2 * Math.PI * Math.floorMod(Math.floorDiv(c.openTimeMs(), DAY_MS) + 3, 7) / 7;
            double hour = 2 * Math.PI * Math.floorMod(minute, 60) / 60;
            row[5] = Math.sin(day);
            row[6] = Math.cos(day);
            row[7] = Math.sin(week);
            row[8] = Math.cos(week);
            row[9] = Math.sin(hour);
            row[10] = Math.cos(hour);
            previousClose = c.close();
        }
        return features;
    }

    @Override
    public double computeInto(Candle[] window, float[] out, int offset) {
        int i = offset;
        for (double[] row : compute(window)) {
            for (double value : row) {
                out[i++] = (float) value;
            }
        }
        return WindowVolatility.scale(window);
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
