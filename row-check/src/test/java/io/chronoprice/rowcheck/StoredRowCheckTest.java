package io.chronoprice.rowcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.rowcheck.CheckResult.Rewrites;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checker's rules on hand-made stored rows: windows of 3 one-minute candles, BTCUSDT without a hole and ETHUSDT
 * with two candles missing, one model version.
 */
class StoredRowCheckTest {

    private static final long T0 = 1621015200000L; // 2021-05-14T18:00:00Z
    private static final long M = 60_000L;

    private static final Expectation EXPECTED = Expectation.builder("binance", "1m", 3)
            .series("BTCUSDT", candles(0, 1, 2, 3, 4))
            .series("ETHUSDT", candles(0, 1, 2, 5, 6, 7, 8))
            .modelVersions("v2")
            .build();

    @Test
    void windowsAreFullAndGapFreeAndEachHoleIsAGap() {
        assertThat(EXPECTED.candleCount()).isEqualTo(12);
        // BTC: windows ending at minutes 2, 3, 4; ETH: 2, then 7 and 8 (5 and 6 follow the hole).
        assertThat(EXPECTED.windowCount()).isEqualTo(6);
        assertThat(EXPECTED.gapCount()).isEqualTo(1);
        assertThat(EXPECTED.rows(StoredTable.PREDICTIONS, stored().build()).keySet())
                .extracting(k -> k.symbol() + " " + (k.time().toEpochMilli() - T0) / M)
                .containsExactly("BTCUSDT 3", "BTCUSDT 4", "BTCUSDT 5", "ETHUSDT 3", "ETHUSDT 8", "ETHUSDT 9");
        assertThat(EXPECTED.rows(StoredTable.GAPS, stored().build()))
                .containsExactly(Map.entry(
                        key(StoredTable.GAPS, "ETHUSDT", 5),
                        Map.of("last_open_time_before", at(2), "missing_candles", 2L)));
    }

    @Test
    void exactlyTheExpectedRowsPass() {
        CheckResult result = StoredRowCheck.check(EXPECTED, stored().build());

        assertThat(result.problems(Rewrites.FORBIDDEN)).isEmpty();
        assertThat(result.table(StoredTable.CANDLES).stored()).isEqualTo(12);
        assertThat(result.table(StoredTable.PREDICTIONS).expected()).isEqualTo(6);
        assertThat(result.table(StoredTable.GAPS).stored()).isEqualTo(1);
        assertThat(result.predictionsPerVersion()).containsExactly(Map.entry("v2", 6L));
    }

    @Test
    void expectedRowsNotStoredAreLost() {
        Stored stored = stored();
        stored.remove(StoredTable.CANDLES, key(StoredTable.CANDLES, "BTCUSDT", 3));
        stored.remove(StoredTable.PREDICTIONS, prediction("ETHUSDT", 9, "v2"));
        stored.remove(StoredTable.GAPS, key(StoredTable.GAPS, "ETHUSDT", 5));

        CheckResult result = StoredRowCheck.check(EXPECTED, stored.build());

        assertThat(result.table(StoredTable.CANDLES).lost().examples())
                .containsExactly("binance BTCUSDT 1m 2021-05-14T18:03:00Z");
        assertThat(result.table(StoredTable.PREDICTIONS).lost().examples())
                .containsExactly("binance ETHUSDT 1m 2021-05-14T18:09:00Z v2");
        assertThat(result.table(StoredTable.GAPS).lost().count()).isEqualTo(1);
        assertThat(result.problems(Rewrites.ALLOWED))
                .hasSize(3)
                .first()
                .asString()
                .startsWith("1 candles lost, e.g. binance BTCUSDT 1m 2021-05-14T18:03:00Z");
    }

    @Test
    void storedRowsNotExpectedAreExtra() {
        Stored stored = stored();
        // A window across ETH's hole, a version that is not registered, a candle after the slice and a false gap.
        stored.put(StoredTable.PREDICTIONS, prediction("ETHUSDT", 7, "v2"), Map.of("window_end_open_time", at(6)));
        stored.put(StoredTable.PREDICTIONS, prediction("BTCUSDT", 5, "v9"), Map.of("window_end_open_time", at(4)));
        stored.put(StoredTable.CANDLES, key(StoredTable.CANDLES, "BTCUSDT", 5), candleValues(5));
        stored.put(
                StoredTable.GAPS,
                key(StoredTable.GAPS, "BTCUSDT", 4),
                Map.of("last_open_time_before", at(3), "missing_candles", 1L));

        CheckResult result = StoredRowCheck.check(EXPECTED, stored.build());

        assertThat(result.table(StoredTable.PREDICTIONS).extra().examples())
                .containsExactly(
                        "binance BTCUSDT 1m 2021-05-14T18:05:00Z v9", "binance ETHUSDT 1m 2021-05-14T18:07:00Z v2");
        assertThat(result.table(StoredTable.CANDLES).extra().count()).isEqualTo(1);
        assertThat(result.table(StoredTable.GAPS).extra().count()).isEqualTo(1);
        assertThat(result.table(StoredTable.PREDICTIONS).lost().count()).isZero();
        assertThat(result.problems(Rewrites.ALLOWED)).hasSize(3);
    }

    @Test
    void valuesOtherThanExpectedAreDifferentDownToTheLastBit() {
        Stored stored = stored();
        Map<String, Object> candle = new LinkedHashMap<>(candleValues(2));
        candle.put("close", Math.nextUp((double) candle.get("close")));
        stored.put(StoredTable.CANDLES, key(StoredTable.CANDLES, "BTCUSDT", 2), candle);
        // A prediction whose window does not end one interval before its target.
        stored.put(StoredTable.PREDICTIONS, prediction("BTCUSDT", 4, "v2"), Map.of("window_end_open_time", at(2)));
        stored.put(
                StoredTable.GAPS,
                key(StoredTable.GAPS, "ETHUSDT", 5),
                Map.of("last_open_time_before", at(2), "missing_candles", 3L));

        CheckResult result = StoredRowCheck.check(EXPECTED, stored.build());

        assertThat(result.table(StoredTable.CANDLES).different().examples())
                .singleElement()
                .asString()
                .startsWith("binance BTCUSDT 1m 2021-05-14T18:02:00Z close 102.00000000000001, expected 102.0");
        assertThat(result.table(StoredTable.PREDICTIONS).different().examples())
                .containsExactly("binance BTCUSDT 1m 2021-05-14T18:04:00Z v2 window_end_open_time"
                        + " 2021-05-14T18:02:00Z, expected 2021-05-14T18:03:00Z");
        assertThat(result.table(StoredTable.GAPS).different().count()).isEqualTo(1);
        assertThat(result.table(StoredTable.CANDLES).lost().count()).isZero();
    }

    @Test
    void aReferenceAddsTheValuesItKnowsAndOnlyThoseAreCompared() {
        Stored stored = stored();
        stored.put(
                StoredTable.PREDICTIONS,
                prediction("BTCUSDT", 3, "v2"),
                Map.of("window_end_open_time", at(2), "predicted_close", 101.5, "guard_weight", 0.25));
        Map<RowKey, Map<String, Object>> reference = Map.of(
                prediction("BTCUSDT", 3, "v2"),
                Map.of("predicted_close", 101.5, "guard_weight", 0.5),
                // A key nothing expects is no reference for anything.
                prediction("BTCUSDT", 9, "v2"),
                Map.of("predicted_close", 1.0));

        Expectation withReference = Expectation.builder("binance", "1m", 3)
                .series("BTCUSDT", candles(0, 1, 2, 3, 4))
                .series("ETHUSDT", candles(0, 1, 2, 5, 6, 7, 8))
                .modelVersions("v2")
                .reference(StoredTable.PREDICTIONS, reference)
                .build();
        CheckResult result = StoredRowCheck.check(withReference, stored.build());

        assertThat(result.table(StoredTable.PREDICTIONS).different().examples())
                .containsExactly("binance BTCUSDT 1m 2021-05-14T18:03:00Z v2 guard_weight 0.25, expected 0.5");
        assertThat(result.table(StoredTable.PREDICTIONS).extra().count()).isZero();
        assertThatThrownBy(() -> Expectation.builder("binance", "1m", 3)
                        .reference(
                                StoredTable.PREDICTIONS, Map.of(prediction("BTCUSDT", 3, "v2"), Map.of("close", 1.0))))
                .hasMessageContaining("predictions has no value column close");
    }

    @Test
    void keysWrittenTwiceAreDuplicatesThatOnlyARestoreExcusesAndNeverWithOtherValues() {
        Stored stored = stored();
        stored.rewrites.add(
                new StoredRows.Rewrite(StoredTable.CANDLES, "binance BTCUSDT 1m 2021-05-14T18:01:00+00:00", 3, 1));
        stored.rewrites.add(new StoredRows.Rewrite(
                StoredTable.PREDICTIONS, "binance BTCUSDT 1m 2021-05-14T18:03:00+00:00 v2", 2, 1));

        CheckResult replayed = StoredRowCheck.check(EXPECTED, stored.build());

        assertThat(replayed.table(StoredTable.CANDLES).writtenMoreThanOnce().examples())
                .containsExactly("binance BTCUSDT 1m 2021-05-14T18:01:00+00:00 written 3 times");
        assertThat(replayed.table(StoredTable.CANDLES).extraWrites()).isEqualTo(2);
        assertThat(replayed.table(StoredTable.PREDICTIONS).extraWrites()).isEqualTo(1);
        assertThat(replayed.problems(Rewrites.FORBIDDEN))
                .containsExactly(
                        "1 candles keys written more than once without a restore, e.g. binance BTCUSDT 1m"
                                + " 2021-05-14T18:01:00+00:00 written 3 times",
                        "1 predictions keys written more than once without a restore, e.g. binance BTCUSDT 1m"
                                + " 2021-05-14T18:03:00+00:00 v2 written 2 times");
        assertThat(replayed.problems(Rewrites.ALLOWED)).isEmpty();

        stored.rewrites.add(new StoredRows.Rewrite(
                StoredTable.PREDICTIONS, "binance ETHUSDT 1m 2021-05-14T18:03:00+00:00 v2", 2, 2));
        CheckResult changed = StoredRowCheck.check(EXPECTED, stored.build());

        assertThat(changed.table(StoredTable.PREDICTIONS)
                        .writtenWithOtherValues()
                        .examples())
                .containsExactly("binance ETHUSDT 1m 2021-05-14T18:03:00+00:00 v2 written with 2 values");
        assertThat(changed.problems(Rewrites.ALLOWED))
                .containsExactly("1 predictions keys written with different values, e.g. binance ETHUSDT 1m"
                        + " 2021-05-14T18:03:00+00:00 v2 written with 2 values");
    }

    @Test
    void withoutAWriteLogDuplicatesCannotBeToldAndTheCheckFails() {
        Stored stored = stored();
        stored.logged = false;

        assertThat(StoredRowCheck.check(EXPECTED, stored.build()).problems(Rewrites.ALLOWED))
                .singleElement()
                .asString()
                .startsWith("no write log");
    }

    @Test
    void aVersionAddedWhileTheJobRanIsExpectedFromItsFirstStoredPredictionInEachSeriesOn() {
        Expectation late = Expectation.builder("binance", "1m", 3)
                .series("BTCUSDT", candles(0, 1, 2, 3, 4))
                .series("ETHUSDT", candles(0, 1, 2, 5, 6, 7, 8))
                .modelVersions("v2")
                .lateVersions("v1")
                .build();
        Stored stored = stored();
        stored.put(StoredTable.PREDICTIONS, prediction("BTCUSDT", 4, "v1"), Map.of("window_end_open_time", at(3)));
        stored.put(StoredTable.PREDICTIONS, prediction("BTCUSDT", 5, "v1"), Map.of("window_end_open_time", at(4)));

        CheckResult result = StoredRowCheck.check(late, stored.build());

        // BTC: from its first prediction (minute 4) on, nothing lost; ETH: never picked up, every window lost.
        assertThat(result.table(StoredTable.PREDICTIONS).lost().examples())
                .containsExactly(
                        "binance ETHUSDT 1m 2021-05-14T18:03:00Z v1",
                        "binance ETHUSDT 1m 2021-05-14T18:08:00Z v1",
                        "binance ETHUSDT 1m 2021-05-14T18:09:00Z v1");
        assertThat(result.table(StoredTable.PREDICTIONS).expected()).isEqualTo(6 + 2 + 3);
        assertThat(result.predictionsPerVersion()).containsExactly(Map.entry("v1", 2L), Map.entry("v2", 6L));

        stored.put(StoredTable.PREDICTIONS, prediction("ETHUSDT", 9, "v1"), Map.of("window_end_open_time", at(8)));
        assertThat(StoredRowCheck.check(late, stored.build()).problems(Rewrites.FORBIDDEN))
                .isEmpty();
    }

    // --- fixtures --------------------------------------------------------------------------------------------

    private static List<SourceCandle> candles(int... minutes) {
        List<SourceCandle> candles = new ArrayList<>();
        for (int m : minutes) {
            Map<String, Object> v = candleValues(m);
            candles.add(new SourceCandle(
                    T0 + m * M,
                    (double) v.get("open"),
                    (double) v.get("high"),
                    (double) v.get("low"),
                    (double) v.get("close"),
                    (double) v.get("volume")));
        }
        return candles;
    }

    private static Map<String, Object> candleValues(int minute) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("open", 100.0 + minute);
        v.put("high", 101.5 + minute);
        v.put("low", 99.25 + minute);
        v.put("close", 100.0 + minute);
        v.put("volume", 7.125);
        return v;
    }

    private static Instant at(int minute) {
        return Instant.ofEpochMilli(T0 + minute * M);
    }

    private static RowKey key(StoredTable table, String symbol, int minute) {
        assertThat(table.versioned()).isFalse();
        return RowKey.of("binance", symbol, "1m", T0 + minute * M);
    }

    private static RowKey prediction(String symbol, int minute, String version) {
        return RowKey.prediction("binance", symbol, "1m", T0 + minute * M, version);
    }

    /** What a database holding exactly the expected rows would give, to be spoiled by each test. */
    private static Stored stored() {
        Stored stored = new Stored();
        StoredRows empty = new Stored().build();
        for (StoredTable table : StoredTable.values()) {
            EXPECTED.rows(table, empty).forEach((key, values) -> stored.put(table, key, values));
        }
        return stored;
    }

    private static final class Stored {
        final Map<StoredTable, NavigableMap<RowKey, Map<String, Object>>> rows = new EnumMap<>(StoredTable.class);
        final List<StoredRows.Rewrite> rewrites = new ArrayList<>();
        boolean logged = true;

        Stored() {
            for (StoredTable table : StoredTable.values()) {
                rows.put(table, new TreeMap<>());
            }
        }

        void put(StoredTable table, RowKey key, Map<String, Object> values) {
            rows.get(table).put(key, values);
        }

        void remove(StoredTable table, RowKey key) {
            assertThat(rows.get(table).remove(key)).as("removed " + key).isNotNull();
        }

        StoredRows build() {
            Map<StoredTable, NavigableMap<RowKey, Map<String, Object>>> copy = new EnumMap<>(StoredTable.class);
            rows.forEach((table, r) -> copy.put(table, new TreeMap<>(r)));
            return new StoredRows(copy, logged, rewrites);
        }
    }
}
