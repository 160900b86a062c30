package io.chronoprice.replay;

import java.util.List;

/** What {@link CsvCandleLoader} made of a directory: the series it could load and every file it skipped, and why. */
public record LoadResult(CandleStore store, List<LoadProblem> problems) {
    public LoadResult {
        problems = List.copyOf(problems);
    }
}
