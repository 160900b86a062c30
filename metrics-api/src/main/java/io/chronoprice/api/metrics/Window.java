package io.chronoprice.api.metrics;

import io.chronoprice.api.problem.ApiProblemException;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The evaluation windows of {@code /metrics/model}, counted back from the series' newest target time. */
public enum Window {
    HOUR("1h", Duration.ofHours(1)),
    DAY("24h", Duration.ofHours(24)),
    WEEK("7d", Duration.ofDays(7)),
    ALL("all", null);

    private final String label;
    private final Duration length;

    Window(String label, @Nullable Duration length) {
        this.label = label;
        this.length = length;
    }

    /** The window named by the query value; {@code 24h} when absent. */
    public static Window parse(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return DAY;
        }
        return Arrays.stream(values())
                .filter(w -> w.label.equalsIgnoreCase(value.strip()))
                .findFirst()
                .orElseThrow(() -> ApiProblemException.badParameter(
                        "window",
                        "Parameter 'window' must be one of "
                                + Arrays.stream(values()).map(w -> w.label).collect(Collectors.joining(", "))
                                + "."));
    }

    public String label() {
        return label;
    }

    /** Null for {@link #ALL}. */
    @Nullable
    public Duration length() {
        return length;
    }
}
