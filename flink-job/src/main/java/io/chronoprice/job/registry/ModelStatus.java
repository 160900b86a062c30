package io.chronoprice.job.registry;

import java.util.Arrays;

/** Where a registered model version is in its life: scored beside the champion, served, or no longer scored. */
public enum ModelStatus {
    CHALLENGER("challenger"),
    CHAMPION("champion"),
    RETIRED("retired");

    private final String code;

    ModelStatus(String code) {
        this.code = code;
    }

    /** The value in the {@code models.status} column. */
    public String code() {
        return code;
    }

    public boolean isScored() {
        return this != RETIRED;
    }

    public static ModelStatus fromCode(String code) {
        return Arrays.stream(values())
                .filter(s -> s.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model status '" + code + "'"));
    }
}
