package io.chronoprice.job.registry;

import io.chronoprice.job.scoring.ModelArtifact;
import java.io.Serializable;

/**
 * One version as the registry holds it: its status, the sha256 it was registered with, and its bytes. Equal
 * versions with equal status and checksum are the same model whatever the array instance, so a snapshot that did
 * not change compares equal to the last one.
 */
public record RegisteredModel(String version, ModelStatus status, String sha256, byte[] bytes) implements Serializable {

    /** The bytes as an artifact named for log and error messages. */
    public ModelArtifact artifact() {
        return new ModelArtifact("registry:" + version, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisteredModel m
                && version.equals(m.version)
                && status == m.status
                && sha256.equals(m.sha256);
    }

    @Override
    public int hashCode() {
        return version.hashCode() * 31 + sha256.hashCode();
    }

    @Override
    public String toString() {
        return version + " (" + status.code() + ", sha256 " + sha256.substring(0, Math.min(12, sha256.length())) + ")";
    }
}
