package io.chronoprice.job.features;

import io.chronoprice.job.candle.Candle;
import java.util.List;

/**
 * Feature spec 1 (model lstm-1m-v1): five price features per candle, in log-return units.
 *
 * <p>For a window of N candles (oldest first) and c_last = close[N-1], each candle t gives, in order:
 * ln(close_t / c_last), ln(close_t / close_{t-1}) (ln(close_0 / open_0) for t = 0), ln(high_t / low_t),
 * ln(close_t / open_t) and ln(1 + volume_t / (mean window volume + 1e-12)).
 */
public final class FeaturesV1 implements FeatureSpec {

    public static final String VERSION = "1";
    public static final List<String> NAMES =
            List.of("log_close_rel", "log_return", "log_high_low", "log_close_open", "log_volume_rel");
    public static final FeaturesV1 INSTANCE = new FeaturesV1();

    static final double VOLUME_EPS = 1e-12;

    private FeaturesV1() {}

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String outputUnits() {
        return "log_return";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[][] compute(Candle[] window) {
        double lastClose = window[window.length - 1].close();
        double meanVolume = meanVolume(window);
        double[][] features = new double[window.length][];
        double previousClose = window[0].open();
        for (int t = 0; t < window.length; t++) {
            Candle c = window[t];
            features[t] = new double[] {
                Math.log(c.close() / lastClose),
                Math.log(c.close() / previousClose),
                Math.log(c.high() / c.low()),
                Math.log(c.close() / c.open()),
                Math.log1p(c.volume() / (meanVolume + VOLUME_EPS))
            };
            previousClose = c.close();
        }
        return features;
    }

    @Override
    public double outputScale(Candle[] window) {
        return 1.0;
    }

    static double meanVolume(Candle[] window) {
        double sum = 0;
        for (Candle c : window) {
            sum += c.volume();
        }
        return sum / window.length;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
