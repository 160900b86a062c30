package io.chronoprice.job.scoring;

import io.chronoprice.job.features.FeatureSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a model artifact says about itself in its ONNX custom metadata (written by {@code models/export.py}),
 * checked before the model scores anything: a model built for other features, another feature spec or
 * other quantiles would produce numbers that look plausible and mean nothing.
 */
public record ModelMetadata(
        String version,
        int windowSize,
        List<String> featureNames,
        double[] quantiles,
        String featureSpecVersion,
        String interval,
        String trainingDataRange,
        String createdAt,
        String inputName,
        String outputName,
        String outputUnits,
        String evalMetricsJson)
        implements Serializable {

    /** The quantiles the pipeline turns into a lower bound, a median and an upper bound, in this order. */
    static final double[] EXPECTED_QUANTILES = {0.1, 0.5, 0.9};

    /** Reads the metadata; {@code source} names the artifact in error messages. */
    public static ModelMetadata parse(Map<String, String> custom, String source) {
        try {
            return new ModelMetadata(
                    required(custom, "model_version", source),
                    Integer.parseInt(required(custom, "window_size", source)),
                    List.of(required(custom, "feature_names", source).split(",")),
                    Arrays.stream(required(custom, "quantiles", source).split(","))
                            .mapToDouble(Double::parseDouble)
                            .toArray(),
                    required(custom, "feature_spec_version", source),
                    required(custom, "interval", source),
                    custom.getOrDefault("training_data_range", ""),
                    custom.getOrDefault("created_at", ""),
                    required(custom, "input_name", source),
                    required(custom, "output_name", source),
                    // Models exported before regime-free ones did not say: theirs are log-returns.
                    custom.getOrDefault("output_units", "log_return"),
                    custom.getOrDefault("eval_metrics", "{}"));
        } catch (NumberFormatException e) {
            throw new ModelException(source + ": malformed metadata: " + e.getMessage(), e);
        }
    }

    /**
     * Fails, naming the artifact and the mismatch, unless this model fits the job's features and settings; a null
     * {@code interval} accepts the model's own, a {@code expectedWindowSize} of 0 its window.
     */
    public void checkCompatible(String interval, int expectedWindowSize, String source) {
        FeatureSpec spec = featureSpec(source);
        if (!featureNames.equals(spec.names())) {
            throw new ModelException(source + ": model features " + featureNames + " but feature spec "
                    + featureSpecVersion + " computes " + spec.names());
        }
        if (!outputUnits.equals(spec.outputUnits())) {
            throw new ModelException(source + ": output units '" + outputUnits + "' but feature spec "
                    + featureSpecVersion + " models output " + spec.outputUnits());
        }
        if (!Arrays.equals(quantiles, EXPECTED_QUANTILES)) {
            throw new ModelException(source + ": quantiles " + Arrays.toString(quantiles) + " but the job needs "
                    + Arrays.toString(EXPECTED_QUANTILES));
        }
        if (interval != null && !this.interval.equals(interval)) {
            throw new ModelException(
                    source + ": model trained on " + this.interval + " candles but the job reads " + interval);
        }
        if (expectedWindowSize > 0 && windowSize != expectedWindowSize) {
            throw new ModelException(
                    source + ": window size " + windowSize + " but the job is configured for " + expectedWindowSize);
        }
    }

    /** The job's implementation of this model's feature spec; fails naming the artifact if there is none. */
    public FeatureSpec featureSpec(String source) {
        try {
            return FeatureSpec.forVersion(featureSpecVersion);
        } catch (IllegalArgumentException e) {
            throw new ModelException(source + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> custom, String key, String source) {
        String value = custom.get(key);
        if (value == null || value.isBlank()) {
            throw new ModelException(source + ": ONNX metadata lacks '" + key + "'; not a ChronoPrice model export?");
        }
        return value;
    }
}
