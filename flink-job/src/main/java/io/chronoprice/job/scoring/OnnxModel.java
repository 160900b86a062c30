package io.chronoprice.job.scoring;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.chronoprice.job.features.FeatureSpec;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An ONNX Runtime session over a ChronoPrice model: checks the model's metadata at load and scores batches
 * of feature windows into log-return quantiles. Not thread-safe by design: one per operator instance, with
 * one intra-op thread, because a TaskManager runs several of them side by side.
 */
public final class OnnxModel implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelMetadata metadata;
    private final FeatureSpec featureSpec;
    private final long[] singleShape;

    private OnnxModel(OrtEnvironment env, OrtSession session, ModelMetadata metadata, FeatureSpec featureSpec) {
        this.env = env;
        this.session = session;
        this.metadata = metadata;
        this.featureSpec = featureSpec;
        this.singleShape = new long[] {1, metadata.windowSize(), featureSpec.count()};
    }

    /**
     * Loads and checks the artifact against the job's interval and window size (0 accepts the model's).
     * Throws {@link ModelException} naming the artifact when it is corrupt, incomplete or does not fit.
     */
    public static OnnxModel load(ModelArtifact artifact, String interval, int windowSize) {
        // One environment per JVM; ONNX Runtime owns it, so it is never closed here.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(artifact.bytes(), options);
        } catch (OrtException e) {
            throw new ModelException(artifact.source() + ": not a loadable ONNX model: " + e.getMessage(), e);
        }
        try {
            ModelMetadata metadata = ModelMetadata.parse(session.getMetadata().getCustomMetadata(), artifact.source());
            metadata.checkCompatible(interval, windowSize, artifact.source());
            if (!session.getInputNames().contains(metadata.inputName())
                    || !session.getOutputNames().contains(metadata.outputName())) {
                throw new ModelException(artifact.source() + ": graph inputs " + session.getInputNames() + " / outputs "
                        + session.getOutputNames() + " do not match the metadata");
            }
            OnnxModel model = new OnnxModel(env, session, metadata, metadata.featureSpec(artifact.source()));
            model.score(new float[model.inputSize()], 1); // warm-up
            return model;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw e instanceof ModelException me
                    ? me
                    : new ModelException(artifact.source() + ": model failed its check: " + e.getMessage(), e);
        }
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** How the features of this model's input are computed. */
    public FeatureSpec featureSpec() {
        return featureSpec;
    }

    /** Floats per window in the input tensor: window size x feature count. */
    public int inputSize() {
        return metadata.windowSize() * featureSpec.count();
    }

    /**
     * Scores {@code batch} windows laid out row-major in {@code features} ([batch, N, count]) and returns
     * [batch][3] quantiles (0.1, 0.5, 0.9) of the next log-return relative to each window's last close, in
     * the model's output units (see {@link FeatureSpec#computeInto}). Only the first {@code batch} windows of
     * {@code features} are read: the array may be longer.
     */
    public float[][] score(float[] features, int batch) throws OrtException {
        long[] shape = batch == 1 ? singleShape : new long[] {batch, metadata.windowSize(), featureSpec.count()};
        try (OnnxTensor input =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(features, 0, batch * inputSize()), shape);
                OrtSession.Result result = session.run(Map.of(metadata.inputName(), input))) {
            return (float[][]) result.get(metadata.outputName()).orElseThrow().getValue();
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // Closing releases native memory only; nothing a caller could do about a failure here.
        }
    }
}
