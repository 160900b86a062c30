package io.chronoprice.rowcheck;

import java.util.List;

/** How many rows (or keys) a check found, with the first few of them, described. */
public record Finding(int count, List<String> examples) {

    public static final Finding NONE = new Finding(0, List.of());

    public Finding {
        examples = List.copyOf(examples);
    }

    static Finding of(List<String> all, int maxExamples) {
        return new Finding(all.size(), all.subList(0, Math.min(maxExamples, all.size())));
    }

    @Override
    public String toString() {
        return count + (examples.isEmpty() ? "" : " (e.g. " + String.join("; ", examples) + ")");
    }
}
