-- Accuracy in O(1) rows per model version, whatever the window: hourly prefix sums of every additive term of the
-- metrics, maintained beside the rows, with exact edges read from the rows themselves.
--
-- Why PostgreSQL-side rather than a Flink aggregate: an outcome needs both the prediction and the candle of its
-- target, which two sinks (and backtests, and backfills) write in separate transactions and in any order. Inside
-- the database both are visible to one query, a rewritten row (an upsert replayed after a restore, a corrected
-- candle) is simply recomputed, and what the API reads can never disagree with the rows.
--
-- How it stays exact:
--   * Every statement that writes predictions or candles files the (series, hour) buckets it touched in
--     accuracy_dirty, in its own transaction, so a marker is visible exactly when the rows are.
--   * refresh_prediction_accuracy() (run by the job every registry poll, and by the backtest when it ends) takes
--     the markers it can see and recomputes the prefix sums of each such series from its earliest marked bucket.
--     Markers written by transactions it cannot see yet survive it. Refreshes are serialised by an advisory lock.
--   * prediction_accuracy() adds prefix-sum differences over the clean buckets inside the window to the rows of the
--     window's partial first hour and of every bucket from the series' first marked one on. Before a refresh it is
--     slower, never different.

-- The view's actual is now looked up by the candles' primary key for each prediction it returns (a LATERAL
-- subquery with LIMIT 1, which PostgreSQL keeps as a parameterised index probe) instead of a plain join. A plain
-- join lets the planner pick its join method from row estimates, and right after a bulk write (a backtest, a
-- backfill) those are stale: it then chose a nested loop that compared every prediction with every candle of the
-- series (20 s for 10,000 rows). A probe per prediction costs the same whatever the statistics say. Columns and
-- meaning are unchanged.
CREATE OR REPLACE VIEW prediction_outcomes AS
SELECT exchange,
       symbol,
       interval,
       target_open_time,
       model_version,
       predicted_close,
       lower_close,
       upper_close,
       naive_close,
       window_end_open_time,
       created_at,
       actual_close,
       predicted_close - actual_close                 AS error,
       abs(predicted_close - actual_close)            AS abs_error,
       naive_close - actual_close                     AS naive_error,
       abs(naive_close - actual_close)                AS naive_abs_error,
       abs(predicted_close - actual_close) / actual_close AS abs_pct_error,
       CASE
           WHEN actual_close IS NULL OR lower_close IS NULL OR upper_close IS NULL THEN NULL
           ELSE actual_close BETWEEN lower_close AND upper_close
       END                                            AS in_interval,
       CASE
           WHEN actual_close IS NULL OR actual_close = naive_close OR predicted_close = naive_close THEN NULL
           ELSE sign(predicted_close - naive_close) = sign(actual_close - naive_close)
       END                                            AS direction_hit,
       raw_predicted_close,
       raw_lower_close,
       raw_upper_close,
       guard_weight,
       calibration_lower,
       calibration_upper,
       window_scale,
       rolling_sigma,
       ewma_sigma,
       abs(raw_predicted_close - actual_close)        AS raw_abs_error,
       actual_close BETWEEN raw_lower_close AND raw_upper_close AS raw_in_interval,
       CASE
           WHEN actual_close IS NULL OR actual_close = naive_close OR raw_predicted_close = naive_close THEN NULL
           ELSE sign(raw_predicted_close - naive_close) = sign(actual_close - naive_close)
       END                                            AS raw_direction_hit,
       rolling_lower_close,
       rolling_upper_close,
       ewma_lower_close,
       ewma_upper_close,
       actual_close BETWEEN rolling_lower_close AND rolling_upper_close AS rolling_in_interval,
       actual_close BETWEEN ewma_lower_close AND ewma_upper_close       AS ewma_in_interval,
       winkler_80(lower_close, upper_close, actual_close)                 AS winkler,
       winkler_80(raw_lower_close, raw_upper_close, actual_close)         AS raw_winkler,
       winkler_80(rolling_lower_close, rolling_upper_close, actual_close) AS rolling_winkler,
       winkler_80(ewma_lower_close, ewma_upper_close, actual_close)       AS ewma_winkler
FROM (
    SELECT p.*,
           c.close                                     AS actual_close,
           p.naive_close * exp(-1.2816 * p.rolling_sigma) AS rolling_lower_close,
           p.naive_close * exp(1.2816 * p.rolling_sigma)  AS rolling_upper_close,
           p.naive_close * exp(-1.2816 * p.ewma_sigma)    AS ewma_lower_close,
           p.naive_close * exp(1.2816 * p.ewma_sigma)     AS ewma_upper_close
    FROM predictions p
    LEFT JOIN LATERAL (SELECT k.close
                       FROM candles k
                       WHERE k.exchange = p.exchange
                         AND k.symbol = p.symbol
                         AND k.interval = p.interval
                         AND k.open_time = p.target_open_time
                       LIMIT 1) c ON true
) AS joined;

-- What one prediction adds to each sum: the one place where a row becomes the terms of the metrics.
CREATE VIEW accuracy_terms AS
SELECT exchange,
       symbol,
       interval,
       model_version,
       target_open_time,
       1::bigint                                                          AS predictions,
       (actual_close IS NOT NULL)::int::bigint                            AS resolved,
       abs_error                                                          AS sum_abs_error,
       error * error                                                      AS sum_sq_error,
       abs_pct_error                                                      AS sum_abs_pct_error,
       naive_abs_error                                                    AS sum_naive_abs_error,
       (direction_hit IS TRUE)::int::bigint                               AS direction_hits,
       (direction_hit IS NOT NULL)::int::bigint                           AS direction_total,
       (in_interval IS TRUE)::int::bigint                                 AS coverage_hits,
       (in_interval IS NOT NULL)::int::bigint                             AS coverage_total,
       winkler / actual_close                                             AS sum_winkler_rel,
       (winkler IS NOT NULL)::int::bigint                                 AS winkler_n,
       CASE WHEN actual_close IS NOT NULL THEN guard_weight END           AS sum_guard_weight,
       (actual_close IS NOT NULL AND guard_weight IS NOT NULL)::int::bigint AS guard_weight_n,
       (raw_abs_error IS NOT NULL)::int::bigint                           AS raw_resolved,
       raw_abs_error                                                      AS sum_raw_abs_error,
       CASE WHEN raw_abs_error IS NOT NULL THEN naive_abs_error END       AS sum_raw_naive_abs_error,
       (raw_direction_hit IS TRUE)::int::bigint                           AS raw_direction_hits,
       (raw_direction_hit IS NOT NULL)::int::bigint                       AS raw_direction_total,
       (raw_in_interval IS TRUE)::int::bigint                             AS raw_coverage_hits,
       (raw_in_interval IS NOT NULL)::int::bigint                         AS raw_coverage_total,
       raw_winkler / actual_close                                         AS sum_raw_winkler_rel,
       (raw_winkler IS NOT NULL)::int::bigint                             AS raw_winkler_n,
       (rolling_in_interval IS TRUE)::int::bigint                         AS rolling_coverage_hits,
       (rolling_in_interval IS NOT NULL)::int::bigint                     AS rolling_coverage_total,
       rolling_winkler / actual_close                                     AS sum_rolling_winkler_rel,
       (rolling_winkler IS NOT NULL)::int::bigint                         AS rolling_winkler_n,
       (ewma_in_interval IS TRUE)::int::bigint                            AS ewma_coverage_hits,
       (ewma_in_interval IS NOT NULL)::int::bigint                        AS ewma_coverage_total,
       ewma_winkler / actual_close                                        AS sum_ewma_winkler_rel,
       (ewma_winkler IS NOT NULL)::int::bigint                            AS ewma_winkler_n
FROM prediction_outcomes;

-- Per (series, version, hour of target): the running totals of accuracy_terms up to and including that hour, and
-- the hour's own first and last target.
CREATE TABLE accuracy_cumulative (
    exchange                text             NOT NULL,
    symbol                  text             NOT NULL,
    interval                text             NOT NULL,
    model_version           text             NOT NULL,
    bucket                  timestamptz      NOT NULL,
    bucket_first_target     timestamptz      NOT NULL,
    bucket_last_target      timestamptz      NOT NULL,
    predictions             bigint           NOT NULL,
    resolved                bigint           NOT NULL,
    sum_abs_error           double precision NOT NULL,
    sum_sq_error            double precision NOT NULL,
    sum_abs_pct_error       double precision NOT NULL,
    sum_naive_abs_error     double precision NOT NULL,
    direction_hits          bigint           NOT NULL,
    direction_total         bigint           NOT NULL,
    coverage_hits           bigint           NOT NULL,
    coverage_total          bigint           NOT NULL,
    sum_winkler_rel         double precision NOT NULL,
    winkler_n               bigint           NOT NULL,
    sum_guard_weight        double precision NOT NULL,
    guard_weight_n          bigint           NOT NULL,
    raw_resolved            bigint           NOT NULL,
    sum_raw_abs_error       double precision NOT NULL,
    sum_raw_naive_abs_error double precision NOT NULL,
    raw_direction_hits      bigint           NOT NULL,
    raw_direction_total     bigint           NOT NULL,
    raw_coverage_hits       bigint           NOT NULL,
    raw_coverage_total      bigint           NOT NULL,
    sum_raw_winkler_rel     double precision NOT NULL,
    raw_winkler_n           bigint           NOT NULL,
    rolling_coverage_hits   bigint           NOT NULL,
    rolling_coverage_total  bigint           NOT NULL,
    sum_rolling_winkler_rel double precision NOT NULL,
    rolling_winkler_n       bigint           NOT NULL,
    ewma_coverage_hits      bigint           NOT NULL,
    ewma_coverage_total     bigint           NOT NULL,
    sum_ewma_winkler_rel    double precision NOT NULL,
    ewma_winkler_n          bigint           NOT NULL,
    PRIMARY KEY (exchange, symbol, interval, model_version, bucket)
);

-- Buckets whose rows changed since the last refresh. Not unique on purpose: a writer only ever inserts, so it
-- never waits on a refresh, and a refresh deletes exactly the markers its snapshot saw.
CREATE TABLE accuracy_dirty (
    exchange text        NOT NULL,
    symbol   text        NOT NULL,
    interval text        NOT NULL,
    bucket   timestamptz NOT NULL
);
CREATE INDEX accuracy_dirty_series_idx ON accuracy_dirty (exchange, symbol, interval, bucket);

CREATE FUNCTION mark_accuracy_dirty() RETURNS trigger
    LANGUAGE plpgsql
AS
$$
BEGIN
    IF TG_TABLE_NAME = 'predictions' THEN
        INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)
        SELECT DISTINCT exchange, symbol, interval, date_trunc('hour', target_open_time) FROM changed;
    ELSE
        -- A candle is the actual of the predictions whose target is its open time.
        INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)
        SELECT DISTINCT exchange, symbol, interval, date_trunc('hour', open_time) FROM changed;
    END IF;
    RETURN NULL;
END
$$;

-- A transition table belongs to one event, so inserts and updates (an upsert fires both) get a trigger each.
CREATE TRIGGER predictions_mark_accuracy_inserted AFTER INSERT ON predictions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mark_accuracy_dirty();
CREATE TRIGGER predictions_mark_accuracy_updated AFTER UPDATE ON predictions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mark_accuracy_dirty();
CREATE TRIGGER predictions_mark_accuracy_deleted AFTER DELETE ON predictions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mark_accuracy_dirty();
CREATE TRIGGER candles_mark_accuracy_inserted AFTER INSERT ON candles
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mark_accuracy_dirty();
CREATE TRIGGER candles_mark_accuracy_updated AFTER UPDATE ON candles
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mark_accuracy_dirty();
CREATE TRIGGER candles_mark_accuracy_deleted AFTER DELETE ON candles
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mark_accuracy_dirty();

-- TRUNCATE has no transition table: start over from what is left.
CREATE FUNCTION reset_accuracy_rollups() RETURNS trigger
    LANGUAGE plpgsql
AS
$$
BEGIN
    DELETE FROM accuracy_cumulative;
    DELETE FROM accuracy_dirty;
    INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)
    SELECT exchange, symbol, interval, date_trunc('hour', min(target_open_time))
    FROM predictions
    GROUP BY exchange, symbol, interval;
    RETURN NULL;
END
$$;

CREATE TRIGGER predictions_reset_accuracy AFTER TRUNCATE ON predictions
    FOR EACH STATEMENT EXECUTE FUNCTION reset_accuracy_rollups();
CREATE TRIGGER candles_reset_accuracy AFTER TRUNCATE ON candles
    FOR EACH STATEMENT EXECUTE FUNCTION reset_accuracy_rollups();

-- Recomputes the prefix sums of every series with markers, from its earliest marked hour on. Returns the number
-- of series refreshed, or -1 when another refresh holds the lock (its markers wait for the next one).
CREATE FUNCTION refresh_prediction_accuracy() RETURNS integer
    LANGUAGE plpgsql
AS
$$
DECLARE
    s           record;
    from_bucket timestamptz;
    refreshed   integer := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('chronoprice.refresh_prediction_accuracy')) THEN
        RETURN -1;
    END IF;
    FOR s IN SELECT DISTINCT d.exchange, d.symbol, d.interval FROM accuracy_dirty d
    LOOP
        WITH taken AS (DELETE FROM accuracy_dirty d
                       WHERE d.exchange = s.exchange AND d.symbol = s.symbol AND d.interval = s.interval
                       RETURNING d.bucket)
        SELECT min(bucket) INTO from_bucket FROM taken;
        CONTINUE WHEN from_bucket IS NULL;
        DELETE FROM accuracy_cumulative c
        WHERE c.exchange = s.exchange AND c.symbol = s.symbol AND c.interval = s.interval
          AND c.bucket >= from_bucket;
        INSERT INTO accuracy_cumulative
        SELECT h.exchange, h.symbol, h.interval, h.model_version, h.bucket, h.first_target, h.last_target,
               COALESCE(b.predictions, 0)             + sum(h.predictions)             OVER w,
               COALESCE(b.resolved, 0)                + sum(h.resolved)                OVER w,
               COALESCE(b.sum_abs_error, 0)           + sum(h.sum_abs_error)           OVER w,
               COALESCE(b.sum_sq_error, 0)            + sum(h.sum_sq_error)            OVER w,
               COALESCE(b.sum_abs_pct_error, 0)       + sum(h.sum_abs_pct_error)       OVER w,
               COALESCE(b.sum_naive_abs_error, 0)     + sum(h.sum_naive_abs_error)     OVER w,
               COALESCE(b.direction_hits, 0)          + sum(h.direction_hits)          OVER w,
               COALESCE(b.direction_total, 0)         + sum(h.direction_total)         OVER w,
               COALESCE(b.coverage_hits, 0)           + sum(h.coverage_hits)           OVER w,
               COALESCE(b.coverage_total, 0)          + sum(h.coverage_total)          OVER w,
               COALESCE(b.sum_winkler_rel, 0)         + sum(h.sum_winkler_rel)         OVER w,
               COALESCE(b.winkler_n, 0)               + sum(h.winkler_n)               OVER w,
               COALESCE(b.sum_guard_weight, 0)        + sum(h.sum_guard_weight)        OVER w,
               COALESCE(b.guard_weight_n, 0)          + sum(h.guard_weight_n)          OVER w,
               COALESCE(b.raw_resolved, 0)            + sum(h.raw_resolved)            OVER w,
               COALESCE(b.sum_raw_abs_error, 0)       + sum(h.sum_raw_abs_error)       OVER w,
               COALESCE(b.sum_raw_naive_abs_error, 0) + sum(h.sum_raw_naive_abs_error) OVER w,
               COALESCE(b.raw_direction_hits, 0)      + sum(h.raw_direction_hits)      OVER w,
               COALESCE(b.raw_direction_total, 0)     + sum(h.raw_direction_total)     OVER w,
               COALESCE(b.raw_coverage_hits, 0)       + sum(h.raw_coverage_hits)       OVER w,
               COALESCE(b.raw_coverage_total, 0)      + sum(h.raw_coverage_total)      OVER w,
               COALESCE(b.sum_raw_winkler_rel, 0)     + sum(h.sum_raw_winkler_rel)     OVER w,
               COALESCE(b.raw_winkler_n, 0)           + sum(h.raw_winkler_n)           OVER w,
               COALESCE(b.rolling_coverage_hits, 0)   + sum(h.rolling_coverage_hits)   OVER w,
               COALESCE(b.rolling_coverage_total, 0)  + sum(h.rolling_coverage_total)  OVER w,
               COALESCE(b.sum_rolling_winkler_rel, 0) + sum(h.sum_rolling_winkler_rel) OVER w,
               COALESCE(b.rolling_winkler_n, 0)       + sum(h.rolling_winkler_n)       OVER w,
               COALESCE(b.ewma_coverage_hits, 0)      + sum(h.ewma_coverage_hits)      OVER w,
               COALESCE(b.ewma_coverage_total, 0)     + sum(h.ewma_coverage_total)     OVER w,
               COALESCE(b.sum_ewma_winkler_rel, 0)    + sum(h.sum_ewma_winkler_rel)    OVER w,
               COALESCE(b.ewma_winkler_n, 0)          + sum(h.ewma_winkler_n)          OVER w
        FROM (SELECT t.exchange, t.symbol, t.interval, t.model_version,
                     date_trunc('hour', t.target_open_time)       AS bucket,
                     min(t.target_open_time)                      AS first_target,
                     max(t.target_open_time)                      AS last_target,
                     sum(t.predictions)                           AS predictions,
                     sum(t.resolved)                              AS resolved,
                     COALESCE(sum(t.sum_abs_error), 0)            AS sum_abs_error,
                     COALESCE(sum(t.sum_sq_error), 0)             AS sum_sq_error,
                     COALESCE(sum(t.sum_abs_pct_error), 0)        AS sum_abs_pct_error,
                     COALESCE(sum(t.sum_naive_abs_error), 0)      AS sum_naive_abs_error,
                     sum(t.direction_hits)                        AS direction_hits,
                     sum(t.direction_total)                       AS direction_total,
                     sum(t.coverage_hits)                         AS coverage_hits,
                     sum(t.coverage_total)                        AS coverage_total,
                     COALESCE(sum(t.sum_winkler_rel), 0)          AS sum_winkler_rel,
                     sum(t.winkler_n)                             AS winkler_n,
                     COALESCE(sum(t.sum_guard_weight), 0)         AS sum_guard_weight,
                     sum(t.guard_weight_n)                        AS guard_weight_n,
                     sum(t.raw_resolved)                          AS raw_resolved,
                     COALESCE(sum(t.sum_raw_abs_error), 0)        AS sum_raw_abs_error,
                     COALESCE(sum(t.sum_raw_naive_abs_error), 0)  AS sum_raw_naive_abs_error,
                     sum(t.raw_direction_hits)                    AS raw_direction_hits,
                     sum(t.raw_direction_total)                   AS raw_direction_total,
                     sum(t.raw_coverage_hits)                     AS raw_coverage_hits,
                     sum(t.raw_coverage_total)                    AS raw_coverage_total,
                     COALESCE(sum(t.sum_raw_winkler_rel), 0)      AS sum_raw_winkler_rel,
                     sum(t.raw_winkler_n)                         AS raw_winkler_n,
                     sum(t.rolling_coverage_hits)                 AS rolling_coverage_hits,
                     sum(t.rolling_coverage_total)                AS rolling_coverage_total,
                     COALESCE(sum(t.sum_rolling_winkler_rel), 0)  AS sum_rolling_winkler_rel,
                     sum(t.rolling_winkler_n)                     AS rolling_winkler_n,
                     sum(t.ewma_coverage_hits)                    AS ewma_coverage_hits,
                     sum(t.ewma_coverage_total)                   AS ewma_coverage_total,
                     COALESCE(sum(t.sum_ewma_winkler_rel), 0)     AS sum_ewma_winkler_rel,
                     sum(t.ewma_winkler_n)                        AS ewma_winkler_n
              FROM accuracy_terms t
              WHERE t.exchange = s.exchange AND t.symbol = s.symbol AND t.interval = s.interval
                AND t.target_open_time >= from_bucket
              GROUP BY t.exchange, t.symbol, t.interval, t.model_version, date_trunc('hour', t.target_open_time)) h
        LEFT JOIN LATERAL (SELECT *
                           FROM accuracy_cumulative c
                           WHERE c.exchange = h.exchange AND c.symbol = h.symbol AND c.interval = h.interval
                             AND c.model_version = h.model_version AND c.bucket < from_bucket
                           ORDER BY c.bucket DESC
                           LIMIT 1) b ON true
        WINDOW w AS (PARTITION BY h.model_version ORDER BY h.bucket);
        refreshed := refreshed + 1;
    END LOOP;
    RETURN refreshed;
END
$$;

-- The rows already stored become one marker per series; the first refresh computes their sums.
INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)
SELECT exchange, symbol, interval, date_trunc('hour', min(target_open_time))
FROM predictions
GROUP BY exchange, symbol, interval;

-- The accuracy of every model version on one series, defined once: the API's /metrics/model and the backtest
-- report both read this function, so a MASE or a coverage means the same wherever it is shown.
--
-- Rows are the predictions whose target is after p_after (NULL: all of them); metrics that need the actual use the
-- resolved ones only. Served, raw and baseline figures are judged on the same rows. The raw MASE divides by the
-- naive MAE of the rows that have a raw forecast (pre-V4 rows have none). Winkler scores are in basis points of the
-- actual close. Counts are returned next to every proportion so that callers can put an interval around it.
--
-- It reads the prefix sums for the clean whole hours of the window and the rows for the rest. PL/pgSQL rather than
-- SQL: the window's bounds are computed first, so that every part below reaches its index with them as plain
-- parameters whatever the caller passes (an inlined SQL function turned them into joins the planner could not
-- bound).
CREATE FUNCTION prediction_accuracy(p_exchange text, p_symbol text, p_interval text, p_after timestamptz)
    RETURNS TABLE (
        model_version           text,
        predictions             bigint,
        resolved                bigint,
        first_target_time       timestamptz,
        last_target_time        timestamptz,
        mae                     double precision,
        rmse                    double precision,
        mape_percent            double precision,
        naive_mae               double precision,
        mase                    double precision,
        direction_hits          bigint,
        direction_total         bigint,
        coverage_hits           bigint,
        coverage_total          bigint,
        winkler_bps             double precision,
        mean_guard_weight       double precision,
        raw_resolved            bigint,
        raw_mae                 double precision,
        raw_naive_mae           double precision,
        raw_mase                double precision,
        raw_direction_hits      bigint,
        raw_direction_total     bigint,
        raw_coverage_hits       bigint,
        raw_coverage_total      bigint,
        raw_winkler_bps         double precision,
        rolling_coverage_hits   bigint,
        rolling_coverage_total  bigint,
        rolling_winkler_bps     double precision,
        ewma_coverage_hits      bigint,
        ewma_coverage_total     bigint,
        ewma_winkler_bps        double precision
    )
    LANGUAGE plpgsql
    STABLE
    -- One plan for every call: its bounds are index conditions whatever their values, and planning this query
    -- afresh each time cost more than running it (3 ms against 0.5 ms).
    SET plan_cache_mode = force_generic_plan
AS
$$
#variable_conflict use_column
DECLARE
    win_after    timestamptz := COALESCE(p_after, '-infinity');
    -- [start_bucket, clean_end): the whole hours inside the window whose prefix sums are current.
    start_bucket timestamptz := CASE WHEN p_after IS NULL OR p_after = '-infinity' THEN '-infinity'::timestamptz
                                     ELSE date_trunc('hour', p_after) + interval '1 hour' END;
    clean_end    timestamptz;
BEGIN
    SELECT COALESCE(min(d.bucket), 'infinity') INTO clean_end
    FROM accuracy_dirty d
    WHERE d.exchange = p_exchange AND d.symbol = p_symbol AND d.interval = p_interval AND d.bucket >= start_bucket;

    RETURN QUERY
WITH RECURSIVE
    -- The series' versions with prefix sums, one index probe each.
    versions AS (
        (SELECT c.model_version
         FROM accuracy_cumulative c
         WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
         ORDER BY c.model_version
         LIMIT 1)
        UNION ALL
        SELECT (SELECT c.model_version
                FROM accuracy_cumulative c
                WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                  AND c.model_version > v.model_version
                ORDER BY c.model_version
                LIMIT 1)
        FROM versions v
        WHERE v.model_version IS NOT NULL
    ),
    -- The rows outside the clean hours: the window's partial first hour, and everything from the first marked
    -- hour on.
    edges AS (
        SELECT t.*
        FROM accuracy_terms t
        WHERE t.exchange = p_exchange AND t.symbol = p_symbol AND t.interval = p_interval
          AND t.target_open_time > win_after AND t.target_open_time < start_bucket
        UNION ALL
        SELECT t.*
        FROM accuracy_terms t
        WHERE t.exchange = p_exchange AND t.symbol = p_symbol AND t.interval = p_interval
          AND t.target_open_time > win_after AND t.target_open_time >= clean_end
    ),
    parts AS (
        SELECT v.model_version,
               f.bucket_first_target                                        AS first_target,
               hi.bucket_last_target                                        AS last_target,
               hi.predictions - COALESCE(lo.predictions, 0)                 AS predictions,
               hi.resolved - COALESCE(lo.resolved, 0)                       AS resolved,
               hi.sum_abs_error - COALESCE(lo.sum_abs_error, 0)             AS sum_abs_error,
               hi.sum_sq_error - COALESCE(lo.sum_sq_error, 0)               AS sum_sq_error,
               hi.sum_abs_pct_error - COALESCE(lo.sum_abs_pct_error, 0)     AS sum_abs_pct_error,
               hi.sum_naive_abs_error - COALESCE(lo.sum_naive_abs_error, 0) AS sum_naive_abs_error,
               hi.direction_hits - COALESCE(lo.direction_hits, 0)           AS direction_hits,
               hi.direction_total - COALESCE(lo.direction_total, 0)         AS direction_total,
               hi.coverage_hits - COALESCE(lo.coverage_hits, 0)             AS coverage_hits,
               hi.coverage_total - COALESCE(lo.coverage_total, 0)           AS coverage_total,
               hi.sum_winkler_rel - COALESCE(lo.sum_winkler_rel, 0)         AS sum_winkler_rel,
               hi.winkler_n - COALESCE(lo.winkler_n, 0)                     AS winkler_n,
               hi.sum_guard_weight - COALESCE(lo.sum_guard_weight, 0)       AS sum_guard_weight,
               hi.guard_weight_n - COALESCE(lo.guard_weight_n, 0)           AS guard_weight_n,
               hi.raw_resolved - COALESCE(lo.raw_resolved, 0)               AS raw_resolved,
               hi.sum_raw_abs_error - COALESCE(lo.sum_raw_abs_error, 0)     AS sum_raw_abs_error,
               hi.sum_raw_naive_abs_error - COALESCE(lo.sum_raw_naive_abs_error, 0) AS sum_raw_naive_abs_error,
               hi.raw_direction_hits - COALESCE(lo.raw_direction_hits, 0)   AS raw_direction_hits,
               hi.raw_direction_total - COALESCE(lo.raw_direction_total, 0) AS raw_direction_total,
               hi.raw_coverage_hits - COALESCE(lo.raw_coverage_hits, 0)     AS raw_coverage_hits,
               hi.raw_coverage_total - COALESCE(lo.raw_coverage_total, 0)   AS raw_coverage_total,
               hi.sum_raw_winkler_rel - COALESCE(lo.sum_raw_winkler_rel, 0) AS sum_raw_winkler_rel,
               hi.raw_winkler_n - COALESCE(lo.raw_winkler_n, 0)             AS raw_winkler_n,
               hi.rolling_coverage_hits - COALESCE(lo.rolling_coverage_hits, 0) AS rolling_coverage_hits,
               hi.rolling_coverage_total - COALESCE(lo.rolling_coverage_total, 0) AS rolling_coverage_total,
               hi.sum_rolling_winkler_rel - COALESCE(lo.sum_rolling_winkler_rel, 0) AS sum_rolling_winkler_rel,
               hi.rolling_winkler_n - COALESCE(lo.rolling_winkler_n, 0)     AS rolling_winkler_n,
               hi.ewma_coverage_hits - COALESCE(lo.ewma_coverage_hits, 0)   AS ewma_coverage_hits,
               hi.ewma_coverage_total - COALESCE(lo.ewma_coverage_total, 0) AS ewma_coverage_total,
               hi.sum_ewma_winkler_rel - COALESCE(lo.sum_ewma_winkler_rel, 0) AS sum_ewma_winkler_rel,
               hi.ewma_winkler_n - COALESCE(lo.ewma_winkler_n, 0)           AS ewma_winkler_n
        FROM versions v
        CROSS JOIN LATERAL (SELECT *
                            FROM accuracy_cumulative c
                            WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                              AND c.model_version = v.model_version
                              AND c.bucket >= start_bucket AND c.bucket < clean_end
                            ORDER BY c.bucket DESC
                            LIMIT 1) hi
        CROSS JOIN LATERAL (SELECT c.bucket_first_target
                            FROM accuracy_cumulative c
                            WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                              AND c.model_version = v.model_version
                              AND c.bucket >= start_bucket AND c.bucket < clean_end
                            ORDER BY c.bucket
                            LIMIT 1) f
        LEFT JOIN LATERAL (SELECT *
                           FROM accuracy_cumulative c
                           WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                             AND c.model_version = v.model_version
                             AND c.bucket < start_bucket
                           ORDER BY c.bucket DESC
                           LIMIT 1) lo ON true
        WHERE v.model_version IS NOT NULL
        UNION ALL
        SELECT e.model_version, e.target_open_time, e.target_open_time,
               e.predictions, e.resolved, e.sum_abs_error, e.sum_sq_error, e.sum_abs_pct_error,
               e.sum_naive_abs_error, e.direction_hits, e.direction_total, e.coverage_hits, e.coverage_total,
               e.sum_winkler_rel, e.winkler_n, e.sum_guard_weight, e.guard_weight_n, e.raw_resolved,
               e.sum_raw_abs_error, e.sum_raw_naive_abs_error, e.raw_direction_hits, e.raw_direction_total,
               e.raw_coverage_hits, e.raw_coverage_total, e.sum_raw_winkler_rel, e.raw_winkler_n,
               e.rolling_coverage_hits, e.rolling_coverage_total, e.sum_rolling_winkler_rel, e.rolling_winkler_n,
               e.ewma_coverage_hits, e.ewma_coverage_total, e.sum_ewma_winkler_rel, e.ewma_winkler_n
        FROM edges e
    ),
    totals AS (
        SELECT p.model_version,
               min(p.first_target) AS first_target, max(p.last_target) AS last_target,
               sum(p.predictions)::bigint AS predictions, sum(p.resolved)::bigint AS resolved,
               sum(p.sum_abs_error) AS sum_abs_error, sum(p.sum_sq_error) AS sum_sq_error,
               sum(p.sum_abs_pct_error) AS sum_abs_pct_error, sum(p.sum_naive_abs_error) AS sum_naive_abs_error,
               sum(p.direction_hits)::bigint AS direction_hits, sum(p.direction_total)::bigint AS direction_total,
               sum(p.coverage_hits)::bigint AS coverage_hits, sum(p.coverage_total)::bigint AS coverage_total,
               sum(p.sum_winkler_rel) AS sum_winkler_rel, sum(p.winkler_n) AS winkler_n,
               sum(p.sum_guard_weight) AS sum_guard_weight, sum(p.guard_weight_n) AS guard_weight_n,
               sum(p.raw_resolved)::bigint AS raw_resolved, sum(p.sum_raw_abs_error) AS sum_raw_abs_error,
               sum(p.sum_raw_naive_abs_error) AS sum_raw_naive_abs_error,
               sum(p.raw_direction_hits)::bigint AS raw_direction_hits,
               sum(p.raw_direction_total)::bigint AS raw_direction_total,
               sum(p.raw_coverage_hits)::bigint AS raw_coverage_hits,
               sum(p.raw_coverage_total)::bigint AS raw_coverage_total,
               sum(p.sum_raw_winkler_rel) AS sum_raw_winkler_rel, sum(p.raw_winkler_n) AS raw_winkler_n,
               sum(p.rolling_coverage_hits)::bigint AS rolling_coverage_hits,
               sum(p.rolling_coverage_total)::bigint AS rolling_coverage_total,
               sum(p.sum_rolling_winkler_rel) AS sum_rolling_winkler_rel, sum(p.rolling_winkler_n) AS rolling_winkler_n,
               sum(p.ewma_coverage_hits)::bigint AS ewma_coverage_hits,
               sum(p.ewma_coverage_total)::bigint AS ewma_coverage_total,
               sum(p.sum_ewma_winkler_rel) AS sum_ewma_winkler_rel, sum(p.ewma_winkler_n) AS ewma_winkler_n
        FROM parts p
        GROUP BY p.model_version
    )
-- From sums to metrics: the one place where the metrics are defined. An empty denominator gives NULL, as avg()
-- of no rows would.
SELECT t.model_version,
       t.predictions,
       t.resolved,
       t.first_target,
       t.last_target,
       t.sum_abs_error / NULLIF(t.resolved, 0),
       sqrt(t.sum_sq_error / NULLIF(t.resolved, 0)),
       100 * t.sum_abs_pct_error / NULLIF(t.resolved, 0),
       t.sum_naive_abs_error / NULLIF(t.resolved, 0),
       CASE WHEN t.resolved > 0 THEN t.sum_abs_error / NULLIF(t.sum_naive_abs_error, 0) END,
       t.direction_hits,
       t.direction_total,
       t.coverage_hits,
       t.coverage_total,
       10000 * t.sum_winkler_rel / NULLIF(t.winkler_n, 0),
       t.sum_guard_weight / NULLIF(t.guard_weight_n, 0),
       t.raw_resolved,
       t.sum_raw_abs_error / NULLIF(t.raw_resolved, 0),
       t.sum_raw_naive_abs_error / NULLIF(t.raw_resolved, 0),
       CASE WHEN t.raw_resolved > 0 THEN t.sum_raw_abs_error / NULLIF(t.sum_raw_naive_abs_error, 0) END,
       t.raw_direction_hits,
       t.raw_direction_total,
       t.raw_coverage_hits,
       t.raw_coverage_total,
       10000 * t.sum_raw_winkler_rel / NULLIF(t.raw_winkler_n, 0),
       t.rolling_coverage_hits,
       t.rolling_coverage_total,
       10000 * t.sum_rolling_winkler_rel / NULLIF(t.rolling_winkler_n, 0),
       t.ewma_coverage_hits,
       t.ewma_coverage_total,
       10000 * t.sum_ewma_winkler_rel / NULLIF(t.ewma_winkler_n, 0)
FROM totals t;
END
$$;
