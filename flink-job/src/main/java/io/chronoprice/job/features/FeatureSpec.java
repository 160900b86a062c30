package io.chronoprice.job.features;

import io.chronoprice.job.candle.Candle;
import java.io.Serializable;
import java.util.List;

/**
 * A versioned definition of a model's input features: the Java twin of one spec in {@code models/features.py},
 * which holds the written definitions. The parity fixtures in {@code models/fixtures/} prove both agree.
 * A model names its spec in its metadata; the job looks the spec up here and refuses a model whose spec it
 * does not implement.
 */
public sealed interface FeatureSpec extends Serializable permits FeaturesV1, FeaturesV2 {

    String version();

    List<String> names();

    /** What the model's outputs are measured in: {@code log_return} or {@code window_scale}. */
    String outputUnits();

    default int count() {
        return names().size();
    }

    /** The features of one window (oldest candle first) in float64, as training computes them: [N][count]. */
    double[][] compute(Candle[] window);

    /**
     * The factor that turns the model's outputs into log-returns: 1 for a model that predicts log-returns, the
     * window's volatility scale for a regime-free one.
     */
    double outputScale(Candle[] window);

    /**
     * Writes the window's features as float32, row-major, into {@code out} from {@code offset} (the layout of
     * the model's [batch, N, count] input) and returns {@link #outputScale}.
     */
    default double computeInto(Candle[] window, float[] out, int offset) {
        int i = offset;
        for (double[] row : compute(window)) {
            for (double value : row) {
                out[i++] = (float) value;
            }
        }
        return outputScale(window);
    }

    static FeatureSpec forVersion(String version) {
        return switch (version) {
            case FeaturesV1.VERSION -> FeaturesV1.INSTANCE;
            case FeaturesV2.VERSION -> FeaturesV2.INSTANCE;
            default ->
                throw new IllegalArgumentException(
                        "feature spec " + version + " is not implemented by this job (it knows 1 and 2)");
        };
    }
}
