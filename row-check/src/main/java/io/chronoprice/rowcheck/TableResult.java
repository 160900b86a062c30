package io.chronoprice.rowcheck;

/**
 * One table's stored rows against the expected ones.
 *
 * @param expected rows expected
 * @param stored rows stored
 * @param lost expected keys not stored
 * @param extra stored keys not expected
 * @param different stored rows whose values differ from the expected ones
 * @param writtenMoreThanOnce keys the job wrote more than once (after a restore: the at-least-once replay)
 * @param extraWrites writes beyond the first of those keys
 * @param writtenWithOtherValues keys written more than once with different values
 */
public record TableResult(
        StoredTable table,
        int expected,
        int stored,
        Finding lost,
        Finding extra,
        Finding different,
        Finding writtenMoreThanOnce,
        long extraWrites,
        Finding writtenWithOtherValues) {}
