package io.chronoprice.job.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of an ONNX model and where they came from. The job reads the artifact once on the client, so a
 * missing file fails the submission, and ships the bytes with the operator, so TaskManagers need no shared
 * file system.
 */
public record ModelArtifact(String source, byte[] bytes) implements Serializable {

    /** The model bundled in the job jar, used when no path is configured. */
    public static final String BUNDLED = "/models/lstm-1m-v3.onnx";

    public static ModelArtifact fromFile(Path path) {
        try {
            return new ModelArtifact(path.toString(), Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new ModelException("Model file not found: " + path.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new ModelException("Cannot read model file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    public static ModelArtifact bundled() {
        try (InputStream in = ModelArtifact.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new ModelException("No model bundled at classpath:" + BUNDLED + "; pass --model");
            }
            return new ModelArtifact("classpath:" + BUNDLED, in.readAllBytes());
        } catch (IOException e) {
            throw new ModelException("Cannot read bundled model " + BUNDLED, e);
        }
    }

    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
