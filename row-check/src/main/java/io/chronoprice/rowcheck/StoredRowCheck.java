package io.chronoprice.rowcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares what a run stored with what it must have stored: for each table, the keys lost and extra, the rows whose
 * values differ from the expected ones, and, from the {@link WriteLog}, the keys written more than once and those
 * written with different values. The job's ITCases call {@link #check} as a library; the failure suite on a real
 * cluster calls {@link StoredRowCheckMain}.
 */
public final class StoredRowCheck {

    /** Examples kept per finding. */
    public static final int EXAMPLES = 5;

    private StoredRowCheck() {}

    public static CheckResult check(Expectation expected, StoredRows stored) {
        return check(expected, stored, EXAMPLES);
    }

    public static CheckResult check(Expectation expected, StoredRows stored, int examples) {
        List<TableResult> tables = new ArrayList<>();
        for (StoredTable table : StoredTable.values()) {
            tables.add(checkTable(table, expected.rows(table, stored), stored, examples));
        }
        return new CheckResult(tables, stored.writesLogged(), stored.predictionsPerVersion());
    }

    private static TableResult checkTable(
            StoredTable table, Map<RowKey, Map<String, Object>> expected, StoredRows stored, int examples) {
        Map<RowKey, Map<String, Object>> rows = stored.rows(table);
        List<String> lost = new ArrayList<>();
        List<String> different = new ArrayList<>();
        expected.forEach((key, values) -> {
            Map<String, Object> row = rows.get(key);
            if (row == null) {
                lost.add(key.toString());
                return;
            }
            for (Map.Entry<String, Object> v : values.entrySet()) {
                Object actual = row.get(v.getKey());
                if (!Objects.equals(actual, v.getValue())) {
                    different.add(key + " " + v.getKey() + " " + actual + ", expected " + v.getValue());
                    break;
                }
            }
        });
        List<String> extra = rows.keySet().stream()
                .filter(k -> !expected.containsKey(k))
                .map(RowKey::toString)
                .toList();
        List<String> rewritten = new ArrayList<>();
        List<String> otherValues = new ArrayList<>();
        long extraWrites = 0;
        for (StoredRows.Rewrite r : stored.rewrites()) {
            if (r.table() == table) {
                rewritten.add(r.key() + " written " + r.writes() + " times");
                extraWrites += r.writes() - 1;
                if (r.distinctValues() > 1) {
                    otherValues.add(r.key() + " written with " + r.distinctValues() + " values");
                }
            }
        }
        return new TableResult(
                table,
                expected.size(),
                rows.size(),
                Finding.of(lost, examples),
                Finding.of(extra, examples),
                Finding.of(different, examples),
                Finding.of(rewritten, examples),
                extraWrites,
                Finding.of(otherValues, examples));
    }
}
