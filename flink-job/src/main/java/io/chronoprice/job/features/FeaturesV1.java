package io.chronoprice.job.features;

import io.chronoprice.job.candle.Candle;
import java.util.List;

/**
 * The model's input features, feature spec version 1: the Java twin of {@code models/features.py}, which
 * holds the one written definition. The parity fixture in {@code models/fixtures/} proves both agree.
 *
 * <p>For a window of N candles (oldest first) and c_last = close[N-1], each candle t gives, in order:
 * ln(close_t / c_last), ln(close_t / close_{t-1}) (ln(close_0 / open_0) for t = 0), ln(high_t / low_t),
 * ln(close_t / open_t) and ln(1 + volume_t / (mean window volume + 1e-12)).
 */
public final class WindowFeatures {

    public static final String SPEC_VERSION = "1";
    public static final List<String> NAMES =
            List.of("log_close_rel", "log_return", "log_high_low", "log_close_open", "log_volume_rel");
    public static final int COUNT = NAMES.size();

    private static final double VOLUME_EPS = 1e-12;

    private WindowFeatures() {}

    /** The features of one window in float64, as training computes them: [N][COUNT]. */
    public static double[][] compute(Candle[] window) {
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

    /**
     * Writes the window's features as float32, row-major, into {@code out} from {@code offset}: the
     * layout of the model's [batch, N, COUNT] input tensor.
     */
    public static void computeInto(Candle[] window, float[] out, int offset) {
        int i = offset;
        for (double[] row : compute(window)) {
            for (double value : row) {
                out[i++] = (float) value;
            }
        }
    }

    private static double meanVolume(Candle[] window) {
        double sum = 0;
        for (Candle c : window) {
            sum += c.volume();
        }
        return sum / window.length;
    }
}
