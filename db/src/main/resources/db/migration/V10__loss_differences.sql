-- The champion-vs-challenger comparison of /metrics/model in O(1) rows per pair of versions, whatever the window:
-- the Diebold-Mariano test needs, besides sums, the lagged products of the loss differences, so those are kept as
-- hourly prefix sums too.
--
-- For two versions a < b of one series, on the targets both predicted and that are resolved, in target order:
--   d_t = |e_a,t| - |e_b,t|   (the served forecasts' absolute errors)
-- Per (series, a, b, hour of target), running totals up to and including that hour of: the number of such
-- targets, each version's absolute and naive absolute errors, and sum_t d_t * d_{t-k} for k = 0..64 (t - k is the
-- k-th earlier common target, also before the hour); and the last 64 d of the sequence up to the hour's end, from
-- which the next refresh continues the products and a window subtracts those reaching before its start.
-- Newey-West lags are floor(4 (n / 100)^(2/9)), so 64 covers windows of up to 26.8 million common targets.
--
-- Exact as V7's sums are: the same triggers file the touched hours, in a marker table of its own so that either
-- refresh can run without the other consuming its markers; refresh_prediction_accuracy() now refreshes both; a
-- window reads the rows of its partial first hour and of every hour from the first marker on.

CREATE TABLE loss_difference_cumulative (
    exchange              text               NOT NULL,
    symbol                text               NOT NULL,
    interval              text               NOT NULL,
    version_a             text               NOT NULL,
    version_b             text               NOT NULL,
    bucket                timestamptz        NOT NULL,
    bucket_first_target   timestamptz        NOT NULL,
    bucket_last_target    timestamptz        NOT NULL,
    targets               bigint             NOT NULL,
    sum_abs_error_a       double precision   NOT NULL,
    sum_abs_error_b       double precision   NOT NULL,
    sum_naive_abs_error_a double precision   NOT NULL,
    sum_naive_abs_error_b double precision   NOT NULL,
    -- lag_products[k + 1] = sum of d_t * d_{t-k}, k = 0..64
    lag_products          double precision[] NOT NULL,
    -- the last (up to) 64 d of the sequence through this hour, oldest first
    tail                  double precision[] NOT NULL,
    PRIMARY KEY (exchange, symbol, interval, version_a, version_b, bucket),
    CHECK (version_a < version_b)
);

CREATE TABLE loss_difference_dirty (
    exchange text        NOT NULL,
    symbol   text        NOT NULL,
    interval text        NOT NULL,
    bucket   timestamptz NOT NULL
);
CREATE INDEX loss_difference_dirty_series_idx ON loss_difference_dirty (exchange, symbol, interval, bucket);

-- V7's trigger function, now filing each marker for both rollups (one read of the transition table).
CREATE OR REPLACE FUNCTION mark_accuracy_dirty() RETURNS trigger
    LANGUAGE plpgsql
AS
$$
BEGIN
    IF TG_TABLE_NAME = 'predictions' THEN
        WITH marked AS (INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)
                        SELECT DISTINCT exchange, symbol, interval, date_trunc('hour', target_open_time) FROM changed
                        RETURNING *)
        INSERT INTO loss_difference_dirty SELECT exchange, symbol, interval, bucket FROM marked;
    ELSE
        -- A candle is the actual of the predictions whose target is its open time.
        WITH marked AS (INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)
                        SELECT DISTINCT exchange, symbol, interval, date_trunc('hour', open_time) FROM changed
                        RETURNING *)
        INSERT INTO loss_difference_dirty SELECT exchange, symbol, interval, bucket FROM marked;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION reset_accuracy_rollups() RETURNS trigger
    LANGUAGE plpgsql
AS
$$
BEGIN
    DELETE FROM accuracy_cumulative;
    DELETE FROM accuracy_dirty;
    DELETE FROM loss_difference_cumulative;
    DELETE FROM loss_difference_dirty;
    WITH marked AS (INSERT INTO accuracy_dirty (exchange, symbol, interval, bucket)
                    SELECT exchange, symbol, interval, date_trunc('hour', min(target_open_time))
                    FROM predictions
                    GROUP BY exchange, symbol, interval
                    RETURNING *)
    INSERT INTO loss_difference_dirty SELECT exchange, symbol, interval, bucket FROM marked;
    RETURN NULL;
END
$$;

-- The resolved common targets of versions a and b of a series in [p_from, p_to), in target order, with d. Version
-- b's forecast is a primary-key probe per target of a (as the view probes the candle), so that the cost follows
-- the rows asked for whatever the statistics say, and a LIMIT stops the scan early.
CREATE FUNCTION loss_differences(p_exchange text, p_symbol text, p_interval text, p_version_a text,
                                 p_version_b text, p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (target_open_time timestamptz, d double precision, abs_error_a double precision,
                   abs_error_b double precision, naive_abs_error_a double precision,
                   naive_abs_error_b double precision)
    LANGUAGE sql
    STABLE
AS
$$
SELECT a.target_open_time, a.abs_error - b.abs_error, a.abs_error, b.abs_error, a.naive_abs_error,
       b.naive_abs_error
FROM prediction_outcomes a
CROSS JOIN LATERAL (SELECT abs(pb.predicted_close - a.actual_close) AS abs_error,
                           abs(pb.naive_close - a.actual_close) AS naive_abs_error
                    FROM predictions pb
                    WHERE pb.exchange = a.exchange AND pb.symbol = a.symbol AND pb.interval = a.interval
                      AND pb.target_open_time = a.target_open_time AND pb.model_version = p_version_b
                    LIMIT 1) b
WHERE a.exchange = p_exchange AND a.symbol = p_symbol AND a.interval = p_interval
  AND a.model_version = p_version_a
  AND a.target_open_time >= p_from AND a.target_open_time < p_to
  AND a.actual_close IS NOT NULL
ORDER BY a.target_open_time
$$;

-- Recomputes the pair sums of every series with markers, from its earliest marked hour on, for every pair of its
-- versions. Returns the number of series refreshed, or -1 when another refresh holds the lock.
CREATE FUNCTION refresh_loss_differences() RETURNS integer
    LANGUAGE plpgsql
AS
$$
DECLARE
    s           record;
    p           record;
    from_bucket timestamptz;
    refreshed   integer := 0;
    products    text;
    recent      text;
    sums        text;
    cumulative  text;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('chronoprice.refresh_loss_differences')) THEN
        RETURN -1;
    END IF;
    -- Most of the job's polls find nothing to do.
    IF NOT EXISTS (SELECT 1 FROM loss_difference_dirty) THEN
        RETURN 0;
    END IF;
    -- 65 products, the last 64 d (for the tail), 65 hourly sums and 65 running totals, written out once here.
    SELECT string_agg(format('d * lag(d, %s) OVER w AS p%s', k, k), ', ' ORDER BY k)
    INTO products FROM generate_series(1, 64) k;
    SELECT 'ARRAY[' || string_agg(format('lag(d, %s) OVER w', k), ', ' ORDER BY k DESC) || ', d]'
    INTO recent FROM generate_series(1, 63) k;
    SELECT string_agg(format('COALESCE(sum(p%s), 0) AS p%s', k, k), ', ' ORDER BY k)
    INTO sums FROM generate_series(0, 64) k;
    SELECT 'ARRAY[' || string_agg(format('COALESCE(b.lag_products[%s], 0) + sum(h.p%s) OVER c', k + 1, k), ', '
                                  ORDER BY k) || ']'
    INTO cumulative FROM generate_series(0, 64) k;

    FOR s IN SELECT DISTINCT d.exchange, d.symbol, d.interval FROM loss_difference_dirty d
    LOOP
        WITH taken AS (DELETE FROM loss_difference_dirty d
                       WHERE d.exchange = s.exchange AND d.symbol = s.symbol AND d.interval = s.interval
                       RETURNING d.bucket)
        SELECT min(bucket) INTO from_bucket FROM taken;
        CONTINUE WHEN from_bucket IS NULL;
        DELETE FROM loss_difference_cumulative c
        WHERE c.exchange = s.exchange AND c.symbol = s.symbol AND c.interval = s.interval
          AND c.bucket >= from_bucket;
        FOR p IN WITH v AS (SELECT DISTINCT model_version FROM predictions
                            WHERE exchange = s.exchange AND symbol = s.symbol AND interval = s.interval
                              AND target_open_time >= from_bucket)
                 SELECT va.model_version AS version_a, vb.model_version AS version_b
                 FROM v va
                 JOIN v vb ON va.model_version < vb.model_version
        LOOP
            -- The sequence continues from the previous hour's tail, so products reach back across from_bucket.
            EXECUTE format($q$
                INSERT INTO loss_difference_cumulative
                WITH base AS (SELECT *
                              FROM loss_difference_cumulative c
                              WHERE c.exchange = $1 AND c.symbol = $2 AND c.interval = $3
                                AND c.version_a = $4 AND c.version_b = $5 AND c.bucket < $6
                              ORDER BY c.bucket DESC
                              LIMIT 1),
                     seq AS (SELECT NULL::timestamptz AS target, x.d, 0::float8 AS ea, 0::float8 AS eb,
                                    0::float8 AS na, 0::float8 AS nb, x.ord
                             FROM base, unnest(base.tail) WITH ORDINALITY x(d, ord)
                             UNION ALL
                             SELECT l.target_open_time, l.d, l.abs_error_a, l.abs_error_b, l.naive_abs_error_a,
                                    l.naive_abs_error_b, 0
                             FROM loss_differences($1, $2, $3, $4, $5, $6, 'infinity') l),
                     lagged AS (SELECT target, date_trunc('hour', target) AS bucket, ea, eb, na, nb,
                                       d * d AS p0, %s, %s AS recent,
                                       row_number() OVER (PARTITION BY date_trunc('hour', target)
                                                          ORDER BY target DESC) AS from_end
                                FROM seq
                                WINDOW w AS (ORDER BY target NULLS FIRST, ord)),
                     h AS (SELECT bucket, min(target) AS first_target, max(target) AS last_target,
                                  count(*) AS targets, sum(ea) AS ea, sum(eb) AS eb, sum(na) AS na, sum(nb) AS nb,
                                  %s
                           FROM lagged
                           WHERE target IS NOT NULL
                           GROUP BY bucket)
                SELECT $1, $2, $3, $4, $5, h.bucket, h.first_target, h.last_target,
                       COALESCE(b.targets, 0) + sum(h.targets) OVER c,
                       COALESCE(b.sum_abs_error_a, 0) + sum(h.ea) OVER c,
                       COALESCE(b.sum_abs_error_b, 0) + sum(h.eb) OVER c,
                       COALESCE(b.sum_naive_abs_error_a, 0) + sum(h.na) OVER c,
                       COALESCE(b.sum_naive_abs_error_b, 0) + sum(h.nb) OVER c,
                       %s,
                       array_remove(e.recent, NULL)
                FROM h
                JOIN lagged e ON e.bucket = h.bucket AND e.from_end = 1
                LEFT JOIN base b ON true
                WINDOW c AS (ORDER BY h.bucket)
                $q$, products, recent, sums, cumulative)
            USING s.exchange, s.symbol, s.interval, p.version_a, p.version_b, from_bucket;
        END LOOP;
        refreshed := refreshed + 1;
    END LOOP;
    RETURN refreshed;
END
$$;

-- V7's refresh keeps its body under a new name; the name the job, the backtest and the tests call refreshes both.
ALTER FUNCTION refresh_prediction_accuracy() RENAME TO refresh_version_accuracy;

CREATE FUNCTION refresh_prediction_accuracy() RETURNS integer
    LANGUAGE plpgsql
AS
$$
DECLARE
    refreshed integer;
BEGIN
    refreshed := refresh_version_accuracy();
    IF refreshed >= 0 THEN
        PERFORM refresh_loss_differences();
    END IF;
    RETURN refreshed;
END
$$;

-- The pieces of the window (p_after, newest] of versions a < b from which the API computes the comparison: the rows
-- of the partial first hour ('front'), then the clean whole hours as one 'clean' row of prefix-sum differences
-- (with the tail before them, to take off the products that reach before the window, and their own tail) and their
-- first 64 rows ('head'), then the rows from the first marker on ('back'). When the clean hours hold 128 targets
-- or fewer, they are returned as 'front' rows instead and there is no 'clean' row.
CREATE FUNCTION loss_difference_parts(p_exchange text, p_symbol text, p_interval text, p_version_a text,
                                      p_version_b text, p_after timestamptz)
    RETURNS TABLE (part text, target_open_time timestamptz, d double precision, abs_error_a double precision,
                   abs_error_b double precision, naive_abs_error_a double precision,
                   naive_abs_error_b double precision, targets bigint, last_target timestamptz,
                   lag_products double precision[], before_tail double precision[], tail double precision[])
    LANGUAGE plpgsql
    STABLE
    SET plan_cache_mode = force_generic_plan
AS
$$
#variable_conflict use_column
DECLARE
    win_after    timestamptz := COALESCE(p_after, '-infinity');
    start_bucket timestamptz := CASE WHEN p_after IS NULL OR p_after = '-infinity' THEN '-infinity'::timestamptz
                                     ELSE date_trunc('hour', p_after) + interval '1 hour' END;
    clean_end    timestamptz;
    hi           loss_difference_cumulative;
    lo           loss_difference_cumulative;
    clean_n      bigint;
    head_end     timestamptz;
BEGIN
    SELECT COALESCE(min(m.bucket), 'infinity') INTO clean_end
    FROM loss_difference_dirty m
    WHERE m.exchange = p_exchange AND m.symbol = p_symbol AND m.interval = p_interval AND m.bucket >= start_bucket;
    SELECT * INTO hi
    FROM loss_difference_cumulative c
    WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
      AND c.version_a = p_version_a AND c.version_b = p_version_b
      AND c.bucket >= start_bucket AND c.bucket < clean_end
    ORDER BY c.bucket DESC
    LIMIT 1;
    SELECT * INTO lo
    FROM loss_difference_cumulative c
    WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
      AND c.version_a = p_version_a AND c.version_b = p_version_b
      AND c.bucket < start_bucket
    ORDER BY c.bucket DESC
    LIMIT 1;
    clean_n := COALESCE(hi.targets, 0) - COALESCE(lo.targets, 0);

    RETURN QUERY
    SELECT 'front', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
    FROM loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b,
                          win_after, CASE WHEN clean_n > 128 THEN start_bucket ELSE clean_end END) l
    WHERE l.target_open_time > win_after;

    IF clean_n > 128 THEN
        RETURN QUERY
        SELECT 'clean', f.bucket_first_target, NULL::float8,
               hi.sum_abs_error_a - COALESCE(lo.sum_abs_error_a, 0),
               hi.sum_abs_error_b - COALESCE(lo.sum_abs_error_b, 0),
               hi.sum_naive_abs_error_a - COALESCE(lo.sum_naive_abs_error_a, 0),
               hi.sum_naive_abs_error_b - COALESCE(lo.sum_naive_abs_error_b, 0),
               clean_n, hi.bucket_last_target,
               ARRAY(SELECT hi.lag_products[k] - COALESCE(lo.lag_products[k], 0) FROM generate_series(1, 65) k),
               COALESCE(lo.tail, '{}'::float8[]), hi.tail
        FROM (SELECT c.bucket_first_target
              FROM loss_difference_cumulative c
              WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                AND c.version_a = p_version_a AND c.version_b = p_version_b
                AND c.bucket >= start_bucket AND c.bucket < clean_end
              ORDER BY c.bucket
              LIMIT 1) f;
        -- The first 64 are in the hours up to the one whose running count reaches them: a bound in time, so the
        -- read stays small whichever plan the LIMIT gets.
        SELECT c.bucket + interval '1 hour' INTO head_end
        FROM loss_difference_cumulative c
        WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
          AND c.version_a = p_version_a AND c.version_b = p_version_b
          AND c.bucket >= start_bucket AND c.bucket < clean_end AND c.targets >= COALESCE(lo.targets, 0) + 64
        ORDER BY c.bucket
        LIMIT 1;
        RETURN QUERY
        SELECT 'head', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
        FROM loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b,
                              start_bucket, head_end) l
        LIMIT 64;
    END IF;

    RETURN QUERY
    SELECT 'back', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
    FROM loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b,
                          greatest(clean_end, start_bucket), 'infinity') l
    WHERE l.target_open_time > win_after AND clean_end < 'infinity';
END
$$;

GRANT EXECUTE ON FUNCTION loss_difference_parts(text, text, text, text, text, timestamptz) TO chronoprice_reader;
GRANT EXECUTE ON FUNCTION loss_differences(text, text, text, text, text, timestamptz, timestamptz)
    TO chronoprice_reader;

-- The rows already stored: one marker per series, so the first refresh computes their pair sums.
INSERT INTO loss_difference_dirty (exchange, symbol, interval, bucket)
SELECT exchange, symbol, interval, date_trunc('hour', min(target_open_time))
FROM predictions
GROUP BY exchange, symbol, interval;
