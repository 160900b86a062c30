package io.chronoprice.rowcheck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The stored-row check of a run: a {@link TableResult} per table, predictions stored per version (by name). */
public record CheckResult(List<TableResult> tables, boolean writesLogged, Map<String, Long> predictionsPerVersion) {

    /** Whether the run may have written rows more than once. */
    public enum Rewrites {
        /** No restore happened, so the job must have written every row once. */
        FORBIDDEN,
        /** A restore happened: rows since the last checkpoint are written again (with the same values). */
        ALLOWED
    }

    public CheckResult {
        tables = List.copyOf(tables);
        predictionsPerVersion = Collections.unmodifiableMap(new TreeMap<>(predictionsPerVersion));
    }

    public TableResult table(StoredTable table) {
        return tables.stream().filter(t -> t.table() == table).findFirst().orElseThrow();
    }

    /**
     * Everything wrong, one line each; empty if the run stored exactly the expected rows with the expected values and
     * never wrote a key with two different values (nor twice at all, unless {@code rewrites} allows it).
     */
    public List<String> problems(Rewrites rewrites) {
        List<String> problems = new ArrayList<>();
        if (!writesLogged) {
            problems.add("no write log in the database: rewrites cannot be told (install WriteLog before the run)");
        }
        for (TableResult t : tables) {
            String name = t.table().sqlName();
            add(problems, t.lost(), name + " lost");
            add(problems, t.extra(), name + " extra (not expected)");
            add(problems, t.different(), name + " with other values than expected");
            add(problems, t.writtenWithOtherValues(), name + " keys written with different values");
            if (rewrites == Rewrites.FORBIDDEN) {
                add(problems, t.writtenMoreThanOnce(), name + " keys written more than once without a restore");
            }
        }
        return problems;
    }

    public boolean passed(Rewrites rewrites) {
        return problems(rewrites).isEmpty();
    }

    private static void add(List<String> problems, Finding finding, String what) {
        if (finding.count() > 0) {
            problems.add(finding.count() + " " + what + ", e.g. " + String.join("; ", finding.examples()));
        }
    }
}
