-- The additive accuracy terms of one series and model version per hour, for the dashboards' hourly panels: a range
-- costs O(hours), as prediction_accuracy() (V7) does for a whole window, instead of a window function over every
-- row in it.
--
-- Exact in the same way as prediction_accuracy(), from the same parts:
--   * a whole hour inside [p_from, p_to) before the series' first dirty marker is the difference of its prefix-sum
--     row and the version's previous one (rows exist only for hours with predictions, so the previous row is the
--     previous hour that had any);
--   * the rest is read from the rows through V7's accuracy_terms, so the terms keep one definition: the partial
--     first and last hours of the range, and every hour from the first marker on. An hour with rows but no prefix
--     sums yet is among those, since the statement that wrote its rows filed a marker at or before it.
-- The first and last buckets hold only the targets inside [p_from, p_to), so the buckets of a range add up to the
-- range's exact totals. Columns: the hour, the first and last target counted in it, then accuracy_cumulative's terms
-- for that bucket alone. Hours without predictions of the version have no row.
--
-- PL/pgSQL, like prediction_accuracy(): the bounds are computed first and reach every index as plain parameters.
CREATE FUNCTION accuracy_buckets(p_exchange text, p_symbol text, p_interval text, p_model_version text,
                                 p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (
        bucket                  timestamptz,
        first_target            timestamptz,
        last_target             timestamptz,
        predictions             bigint,
        resolved                bigint,
        sum_abs_error           double precision,
        sum_sq_error            double precision,
        sum_abs_pct_error       double precision,
        sum_naive_abs_error     double precision,
        direction_hits          bigint,
        direction_total         bigint,
        coverage_hits           bigint,
        coverage_total          bigint,
        sum_winkler_rel         double precision,
        winkler_n               bigint,
        sum_guard_weight        double precision,
        guard_weight_n          bigint,
        raw_resolved            bigint,
        sum_raw_abs_error       double precision,
        sum_raw_naive_abs_error double precision,
        raw_direction_hits      bigint,
        raw_direction_total     bigint,
        raw_coverage_hits       bigint,
        raw_coverage_total      bigint,
        sum_raw_winkler_rel     double precision,
        raw_winkler_n           bigint,
        rolling_coverage_hits   bigint,
        rolling_coverage_total  bigint,
        sum_rolling_winkler_rel double precision,
        rolling_winkler_n       bigint,
        ewma_coverage_hits      bigint,
        ewma_coverage_total     bigint,
        sum_ewma_winkler_rel    double precision,
        ewma_winkler_n          bigint
    )
    LANGUAGE plpgsql
    STABLE
    STRICT
    SET plan_cache_mode = force_generic_plan
AS
$$
#variable_conflict use_column
DECLARE
    -- The first whole hour of the range.
    start_bucket timestamptz := CASE WHEN date_trunc('hour', p_from) = p_from THEN p_from
                                     ELSE date_trunc('hour', p_from) + interval '1 hour' END;
    -- [start_bucket, sums_end): the whole hours read from the prefix sums.
    sums_end     timestamptz;
BEGIN
    SELECT greatest(start_bucket, least(date_trunc('hour', p_to), COALESCE(min(d.bucket), 'infinity')))
    INTO sums_end
    FROM accuracy_dirty d
    WHERE d.exchange = p_exchange AND d.symbol = p_symbol AND d.interval = p_interval AND d.bucket >= start_bucket;

    RETURN QUERY
WITH
    -- The version's prefix sums of the whole clean hours, and the row before them to subtract from the first.
    cumulative AS (
        (SELECT *
         FROM accuracy_cumulative c
         WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
           AND c.model_version = p_model_version AND c.bucket < start_bucket
         ORDER BY c.bucket DESC
         LIMIT 1)
        UNION ALL
        SELECT *
        FROM accuracy_cumulative c
        WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
          AND c.model_version = p_model_version AND c.bucket >= start_bucket AND c.bucket < sums_end
    ),
    from_sums AS (
        SELECT c.bucket, c.bucket_first_target, c.bucket_last_target,
               c.predictions - COALESCE(lag(c.predictions) OVER w, 0)                         AS predictions,
               c.resolved - COALESCE(lag(c.resolved) OVER w, 0)                               AS resolved,
               c.sum_abs_error - COALESCE(lag(c.sum_abs_error) OVER w, 0)                     AS sum_abs_error,
               c.sum_sq_error - COALESCE(lag(c.sum_sq_error) OVER w, 0)                       AS sum_sq_error,
               c.sum_abs_pct_error - COALESCE(lag(c.sum_abs_pct_error) OVER w, 0)             AS sum_abs_pct_error,
               c.sum_naive_abs_error - COALESCE(lag(c.sum_naive_abs_error) OVER w, 0)         AS sum_naive_abs_error,
               c.direction_hits - COALESCE(lag(c.direction_hits) OVER w, 0)                   AS direction_hits,
               c.direction_total - COALESCE(lag(c.direction_total) OVER w, 0)                 AS direction_total,
               c.coverage_hits - COALESCE(lag(c.coverage_hits) OVER w, 0)                     AS coverage_hits,
               c.coverage_total - COALESCE(lag(c.coverage_total) OVER w, 0)                   AS coverage_total,
               c.sum_winkler_rel - COALESCE(lag(c.sum_winkler_rel) OVER w, 0)                 AS sum_winkler_rel,
               c.winkler_n - COALESCE(lag(c.winkler_n) OVER w, 0)                             AS winkler_n,
               c.sum_guard_weight - COALESCE(lag(c.sum_guard_weight) OVER w, 0)               AS sum_guard_weight,
               c.guard_weight_n - COALESCE(lag(c.guard_weight_n) OVER w, 0)                   AS guard_weight_n,
               c.raw_resolved - COALESCE(lag(c.raw_resolved) OVER w, 0)                       AS raw_resolved,
               c.sum_raw_abs_error - COALESCE(lag(c.sum_raw_abs_error) OVER w, 0)             AS sum_raw_abs_error,
               c.sum_raw_naive_abs_error - COALESCE(lag(c.sum_raw_naive_abs_error) OVER w, 0) AS sum_raw_naive_abs_error,
               c.raw_direction_hits - COALESCE(lag(c.raw_direction_hits) OVER w, 0)           AS raw_direction_hits,
               c.raw_direction_total - COALESCE(lag(c.raw_direction_total) OVER w, 0)         AS raw_direction_total,
               c.raw_coverage_hits - COALESCE(lag(c.raw_coverage_hits) OVER w, 0)             AS raw_coverage_hits,
               c.raw_coverage_total - COALESCE(lag(c.raw_coverage_total) OVER w, 0)           AS raw_coverage_total,
               c.sum_raw_winkler_rel - COALESCE(lag(c.sum_raw_winkler_rel) OVER w, 0)         AS sum_raw_winkler_rel,
               c.raw_winkler_n - COALESCE(lag(c.raw_winkler_n) OVER w, 0)                     AS raw_winkler_n,
               c.rolling_coverage_hits - COALESCE(lag(c.rolling_coverage_hits) OVER w, 0)     AS rolling_coverage_hits,
               c.rolling_coverage_total - COALESCE(lag(c.rolling_coverage_total) OVER w, 0)   AS rolling_coverage_total,
               c.sum_rolling_winkler_rel - COALESCE(lag(c.sum_rolling_winkler_rel) OVER w, 0) AS sum_rolling_winkler_rel,
               c.rolling_winkler_n - COALESCE(lag(c.rolling_winkler_n) OVER w, 0)             AS rolling_winkler_n,
               c.ewma_coverage_hits - COALESCE(lag(c.ewma_coverage_hits) OVER w, 0)           AS ewma_coverage_hits,
               c.ewma_coverage_total - COALESCE(lag(c.ewma_coverage_total) OVER w, 0)         AS ewma_coverage_total,
               c.sum_ewma_winkler_rel - COALESCE(lag(c.sum_ewma_winkler_rel) OVER w, 0)       AS sum_ewma_winkler_rel,
               c.ewma_winkler_n - COALESCE(lag(c.ewma_winkler_n) OVER w, 0)                   AS ewma_winkler_n
        FROM cumulative c
        WINDOW w AS (ORDER BY c.bucket)
    ),
    -- Everything else in [p_from, p_to): the partial first hour, and from the end of the sums on.
    edges AS (
        SELECT t.*
        FROM accuracy_terms t
        WHERE t.exchange = p_exchange AND t.symbol = p_symbol AND t.interval = p_interval
          AND t.model_version = p_model_version
          AND t.target_open_time >= p_from AND t.target_open_time < least(start_bucket, p_to)
        UNION ALL
        SELECT t.*
        FROM accuracy_terms t
        WHERE t.exchange = p_exchange AND t.symbol = p_symbol AND t.interval = p_interval
          AND t.model_version = p_model_version
          AND t.target_open_time >= sums_end AND t.target_open_time < p_to
    ),
    -- Grouped as refresh_prediction_accuracy() groups them, so that both paths give the same numbers.
    from_rows AS (
        SELECT date_trunc('hour', e.target_open_time), min(e.target_open_time), max(e.target_open_time),
               sum(e.predictions)::bigint, sum(e.resolved)::bigint,
               COALESCE(sum(e.sum_abs_error), 0), COALESCE(sum(e.sum_sq_error), 0),
               COALESCE(sum(e.sum_abs_pct_error), 0), COALESCE(sum(e.sum_naive_abs_error), 0),
               sum(e.direction_hits)::bigint, sum(e.direction_total)::bigint,
               sum(e.coverage_hits)::bigint, sum(e.coverage_total)::bigint,
               COALESCE(sum(e.sum_winkler_rel), 0), sum(e.winkler_n)::bigint,
               COALESCE(sum(e.sum_guard_weight), 0), sum(e.guard_weight_n)::bigint,
               sum(e.raw_resolved)::bigint, COALESCE(sum(e.sum_raw_abs_error), 0),
               COALESCE(sum(e.sum_raw_naive_abs_error), 0),
               sum(e.raw_direction_hits)::bigint, sum(e.raw_direction_total)::bigint,
               sum(e.raw_coverage_hits)::bigint, sum(e.raw_coverage_total)::bigint,
               COALESCE(sum(e.sum_raw_winkler_rel), 0), sum(e.raw_winkler_n)::bigint,
               sum(e.rolling_coverage_hits)::bigint, sum(e.rolling_coverage_total)::bigint,
               COALESCE(sum(e.sum_rolling_winkler_rel), 0), sum(e.rolling_winkler_n)::bigint,
               sum(e.ewma_coverage_hits)::bigint, sum(e.ewma_coverage_total)::bigint,
               COALESCE(sum(e.sum_ewma_winkler_rel), 0), sum(e.ewma_winkler_n)::bigint
        FROM edges e
        GROUP BY 1
    )
SELECT s.* FROM from_sums s WHERE s.bucket >= start_bucket
UNION ALL
SELECT r.* FROM from_rows r
ORDER BY 1;
END
$$;

-- Functions are executable by PUBLIC by default, which V7's prediction_accuracy() relies on; granted by name as well,
-- so that the dashboards keep it where a DBA has revoked that default.
GRANT EXECUTE ON FUNCTION accuracy_buckets(text, text, text, text, timestamptz, timestamptz) TO chronoprice_reader;
