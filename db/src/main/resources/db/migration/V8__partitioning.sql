-- candles and predictions partitioned by month of their time column (open_time, target_open_time), so that they
-- stay fast at 100M rows: every read of the API names a series and a time (or orders by it), and now reaches only
-- the months it asks for; each month is a table of its own to index, vacuum and analyze; and the newest month,
-- where every write lands, keeps its indexes small and in memory.
--
-- How, and why so:
--   * Declarative RANGE partitioning by calendar month (UTC). A month of 1m candles is 43,200 rows per series, so
--     100M rows of a few dozen series are a few hundred thousand to a few million rows a partition, and a handful
--     of years stays well under a thousand partitions. The primary keys already end with the time column, so they
--     stay the primary keys (a partitioned table's unique keys must contain the partition key) and every writer's
--     INSERT ... ON CONFLICT (primary key) upsert works unchanged.
--   * No row is ever refused, whatever its time: the months without a partition of their own are covered by "gap"
--     partitions ([MINVALUE, first month), between months, [last month + 1, MAXVALUE)), not by a DEFAULT partition.
--     The two cover the same rows, but with a DEFAULT partition the partitions are no longer known to be in time
--     order, and PostgreSQL must then merge every partition for "the newest row of a series" (Merge Append: one
--     index probe per partition, all of them, on every request of the live page). With gaps the partitions stay
--     ordered, so the same read is an ordered Append that stops in the newest partition holding the series.
--   * ensure_monthly_partitions(from, to) gives every month from the month of `from` to the month of `to` its own
--     partition, in both tables: it splits the gap partition that held the month (detach, create the month and
--     what is left of the gap, move the gap's rows into them, drop it), in one transaction, so no row is lost or
--     doubled. file_gap_rows() does the same for every month that gap partitions hold rows of. The job calls
--     both every registry poll (current and next month; then whatever landed in a gap, e.g. the replay
--     exchange's 2021 candles), the backtest calls ensure for its data's range before its job starts, so in
--     normal operation rows are written straight into their month. A split needs both tables' ACCESS EXCLUSIVE
--     lock for a moment (readers and writers wait behind it), so both functions wait at most 500 ms for it and give
--     way rather than hold readers up or end in a deadlock; the rows wait in their gap for the next call.
--     Rows moved between partitions are unchanged, so they are moved into the partitions themselves: the
--     accuracy triggers on the parents stay silent, and row triggers the partitions inherit are switched off for it.
--   * The accuracy triggers of V7 stay what they were: statement-level AFTER triggers with transition tables on
--     the partitioned parents, which PostgreSQL supports (their transition tables hold the rows of every
--     partition the statement touched); row-level triggers with transition tables, which it does not support on
--     partitions, were never used. TRUNCATE of a parent fires its truncate trigger as before.
--   * Backtest runs are still dropped by deleting their rows (./chronoprice backtest --drop LABEL). Partitioning
--     by run as well (LIST on the label, then months) would make a drop a DROP TABLE, but it needs a label column
--     in both primary keys and every writer, multiplies the partitions by the runs, and a run is small (weeks
--     of candles, ~10^5 rows) next to the live tables; what matters at 100M rows is that the delete reaches the
--     run's rows by index rather than by scanning every partition, which BacktestRuns now does.
--   * Rejected: BRIN indexes or a plain table with more indexes (reads are by series first, which a BRIN on time
--     cannot serve; writes would still maintain one ever-growing B-tree per index), TimescaleDB / pg_partman (an
--     extension the embedded PostgreSQL and managed ones may not have), partitions by week or day (10-50 times
--     the partitions for no gain at this volume).
--
-- The existing rows are moved in this migration: the old tables are renamed, the partitioned ones created with the
-- same columns, defaults, checks, comments, keys and indexes, each month of the existing rows (and the current
-- and next month) given its partition, the rows copied, the old tables dropped, and the views, triggers and
-- grants recreated as V7 left them. It holds both tables exclusively while it copies, and needs the tables' size
-- again in free disk until it ends: 2.5-4 minutes for 5M candles and 5M predictions on 2 cores
-- (benchmarks/partitioning-bench.sh).

-- The range [lo, hi) of a range partition; NULL stands for MINVALUE / MAXVALUE.
CREATE FUNCTION partition_range(part regclass, OUT lo timestamptz, OUT hi timestamptz)
    LANGUAGE plpgsql
    STABLE
    SET "TimeZone" = 'UTC'
    SET "DateStyle" = 'ISO, YMD'
AS
$$
DECLARE
    b text[];
BEGIN
    SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \((.+)\) TO \((.+)\)$') INTO b
    FROM pg_class c
    WHERE c.oid = part;
    IF b IS NULL THEN
        RAISE EXCEPTION 'ChronoPrice: % is not a range partition', part;
    END IF;
    lo := CASE WHEN b[1] = 'MINVALUE' THEN NULL ELSE btrim(b[1], '''')::timestamptz END;
    hi := CASE WHEN b[2] = 'MAXVALUE' THEN NULL ELSE btrim(b[2], '''')::timestamptz END;
END
$$;

-- Gives the month starting at month_start its own partition of tbl ('candles' or 'predictions'), named
-- <tbl>_pYYYY_MM, by splitting the gap partition that holds it. Returns whether it created one. Callers hold the
-- partitions' advisory lock (ensure_monthly_partitions, file_gap_rows).
CREATE FUNCTION create_monthly_partition(tbl text, month_start timestamptz) RETURNS boolean
    LANGUAGE plpgsql
    SET "TimeZone" = 'UTC'
AS
$$
DECLARE
    col       text := CASE tbl WHEN 'candles' THEN 'open_time' WHEN 'predictions' THEN 'target_open_time' END;
    month_end timestamptz := month_start + interval '1 month';
    name      text := format('%s_p%s', tbl, to_char(month_start, 'YYYY_MM'));
    gap       record;
    bounds    record;
    trg       record;
    restore   text[] := '{}';
    parts     text[] := ARRAY[name];
    p         text;
BEGIN
    IF col IS NULL OR NOT isfinite(month_start) OR month_start <> date_trunc('month', month_start) THEN
        RAISE EXCEPTION 'ChronoPrice: no monthly partition of % at %', tbl, month_start;
    END IF;
    IF to_regclass(name) IS NOT NULL THEN
        RETURN false;
    END IF;
    SELECT c.relname, r.lo, r.hi INTO gap
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL partition_range(c.oid) r
    WHERE i.inhparent = tbl::regclass
      AND (r.lo IS NULL OR r.lo <= month_start)
      AND (r.hi IS NULL OR r.hi > month_start);
    IF FOUND AND gap.lo = month_start AND gap.hi = month_end THEN
        RETURN false;  -- the month has its partition, under another name
    END IF;
    IF FOUND AND (gap.lo > month_start OR gap.hi < month_end) THEN
        RAISE EXCEPTION 'ChronoPrice: partition % [%, %) does not contain the whole month %',
                        gap.relname, gap.lo, gap.hi, month_start;
    END IF;
    IF FOUND THEN
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', tbl, gap.relname);
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, tbl, month_start, month_end);
    IF FOUND THEN
        -- What is left of the gap on either side, then its rows moved to where they now belong.
        IF gap.lo IS DISTINCT FROM month_start THEN
            p := format('%s_gap_%s_%s', tbl, COALESCE(to_char(gap.lo, 'YYYY_MM'), 'min'), to_char(month_start, 'YYYY_MM'));
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%L)',
                           p, tbl, COALESCE(quote_literal(gap.lo), 'MINVALUE'), month_start);
            parts := parts || p;
        END IF;
        IF gap.hi IS DISTINCT FROM month_end THEN
            p := format('%s_gap_%s_%s', tbl, to_char(month_end, 'YYYY_MM'), COALESCE(to_char(gap.hi, 'YYYY_MM'), 'max'));
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%s)',
                           p, tbl, month_end, COALESCE(quote_literal(gap.hi), 'MAXVALUE'));
            parts := parts || p;
        END IF;
        -- A move is not a write: row triggers that the new partitions inherit from the parent (none of ChronoPrice's
        -- own; e.g. the row checker's write log) are switched off while it runs, and back to what they were.
        FOR trg IN SELECT t.tgrelid::regclass AS rel, t.tgname, t.tgenabled
                   FROM pg_trigger t
                   WHERE t.tgrelid = ANY (SELECT to_regclass(x) FROM unnest(parts) x)
                     AND NOT t.tgisinternal AND t.tgenabled <> 'D'
        LOOP
            EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', trg.rel, trg.tgname);
            restore := restore || format('ALTER TABLE %s ENABLE %s TRIGGER %I', trg.rel,
                                         CASE trg.tgenabled WHEN 'A' THEN 'ALWAYS' WHEN 'R' THEN 'REPLICA' ELSE '' END,
                                         trg.tgname);
        END LOOP;
        FOREACH p IN ARRAY parts LOOP
            SELECT r.lo, r.hi INTO bounds FROM partition_range(p::regclass) r;
            EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE (%L::timestamptz IS NULL OR %I >= %L)'
                           ' AND (%L::timestamptz IS NULL OR %I < %L)',
                           p, gap.relname, bounds.lo, col, bounds.lo, bounds.hi, col, bounds.hi);
        END LOOP;
        FOREACH p IN ARRAY restore LOOP
            EXECUTE p;
        END LOOP;
        EXECUTE format('DROP TABLE %I', gap.relname);
    END IF;
    -- Readers read through the parent, which needs no grant on partitions; granted anyway, as V2 does for every table.
    FOREACH p IN ARRAY parts LOOP
        EXECUTE format('GRANT SELECT ON %I TO chronoprice_reader', p);
    END LOOP;
    RETURN true;
END
$$;

-- Both tables at once, before a split: a split holds its table's ACCESS EXCLUSIVE lock, and holding one table's
-- while waiting for the other's could close a cycle with a reader of prediction_outcomes (which reads both). The
-- callers wait 500 ms at most, under the 1 s after which PostgreSQL looks for deadlocks, so it is the split that gives
-- way, never a reader; the rows it would have moved wait in their gap for the next call.
CREATE FUNCTION lock_partitioned_tables() RETURNS void
    LANGUAGE sql
AS
$$
LOCK TABLE predictions, candles IN ACCESS EXCLUSIVE MODE;
$$;

-- Gives every month from the month of p_from to the month of p_to (both included, UTC) its own partition in both
-- tables, moving there the rows a gap partition held for it. Returns the number of partitions created (0 when all
-- exist, which costs a few catalog lookups). Gives up after 500 ms waiting for a lock (the caller retries later).
CREATE FUNCTION ensure_monthly_partitions(p_from timestamptz, p_to timestamptz) RETURNS integer
    LANGUAGE plpgsql
    SET "TimeZone" = 'UTC'
    SET lock_timeout = '500ms'
AS
$$
DECLARE
    m       timestamptz;
    created integer := 0;
BEGIN
    IF NOT isfinite(p_from) OR NOT isfinite(p_to) OR p_to - p_from > interval '100 years' THEN
        RAISE EXCEPTION 'ChronoPrice: no monthly partitions for [%, %]', p_from, p_to;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('chronoprice.monthly_partitions'));
    IF NOT EXISTS (SELECT
                   FROM generate_series(date_trunc('month', p_from), p_to, interval '1 month') g(month_start),
                        unnest(ARRAY['candles', 'predictions']) t(tbl)
                   WHERE to_regclass(format('%s_p%s', t.tbl, to_char(g.month_start, 'YYYY_MM'))) IS NULL) THEN
        RETURN 0;
    END IF;
    PERFORM lock_partitioned_tables();
    m := date_trunc('month', p_from);
    WHILE m <= p_to LOOP
        created := created + create_monthly_partition('candles', m)::int + create_monthly_partition('predictions', m)::int;
        m := m + interval '1 month';
    END LOOP;
    RETURN created;
END
$$;

-- Gives every month that gap partitions hold rows of its own partition (rows at +/-infinity stay in the gaps).
-- Returns the number of partitions created.
CREATE FUNCTION file_gap_rows() RETURNS integer
    LANGUAGE plpgsql
    SET "TimeZone" = 'UTC'
    SET lock_timeout = '500ms'
AS
$$
DECLARE
    gap     record;
    m       timestamptz;
    months  timestamptz[] := '{}';
    in_gap  timestamptz[];
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('chronoprice.monthly_partitions'));
    FOR gap IN SELECT c.relname, CASE t.tbl WHEN 'candles' THEN 'open_time' ELSE 'target_open_time' END AS col
               FROM unnest(ARRAY['candles', 'predictions']) t(tbl)
               JOIN pg_inherits i ON i.inhparent = t.tbl::regclass
               JOIN pg_class c ON c.oid = i.inhrelid
               CROSS JOIN LATERAL partition_range(c.oid) r
               WHERE r.lo IS NULL OR r.hi IS NULL OR r.hi <> r.lo + interval '1 month'
    LOOP
        EXECUTE format('SELECT array_agg(DISTINCT date_trunc(''month'', %I)) FROM %I WHERE isfinite(%I)',
                       gap.col, gap.relname, gap.col)
            INTO in_gap;
        months := months || COALESCE(in_gap, '{}');
    END LOOP;
    IF cardinality(months) > 0 THEN
        PERFORM lock_partitioned_tables();
    END IF;
    FOR m IN SELECT DISTINCT x FROM unnest(months) x ORDER BY x LOOP
        created := created + create_monthly_partition('candles', m)::int + create_monthly_partition('predictions', m)::int;
    END LOOP;
    RETURN created;
END
$$;

-- The old tables make way, with their keys and indexes (index names are schema-wide); their views go, and their
-- triggers go with them.
DROP VIEW accuracy_terms;
DROP VIEW prediction_outcomes;
ALTER TABLE candles RENAME TO candles_v7;
ALTER INDEX candles_pkey RENAME TO candles_v7_pkey;
ALTER INDEX candles_symbol_open_time_idx RENAME TO candles_v7_symbol_open_time_idx;
ALTER INDEX candles_ingested_at_idx RENAME TO candles_v7_ingested_at_idx;
ALTER TABLE predictions RENAME TO predictions_v7;
ALTER INDEX predictions_pkey RENAME TO predictions_v7_pkey;
ALTER INDEX predictions_symbol_target_idx RENAME TO predictions_v7_symbol_target_idx;
ALTER INDEX predictions_created_at_idx RENAME TO predictions_v7_created_at_idx;

-- Same columns in the same order, defaults, NOT NULLs, checks and column comments; the same keys and indexes,
-- each now one per partition.
CREATE TABLE candles (LIKE candles_v7 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS)
    PARTITION BY RANGE (open_time);
ALTER TABLE candles ADD PRIMARY KEY (exchange, symbol, interval, open_time);
CREATE INDEX candles_symbol_open_time_idx ON candles (symbol, open_time DESC);
CREATE INDEX candles_ingested_at_idx ON candles (ingested_at);

CREATE TABLE predictions (LIKE predictions_v7 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS)
    PARTITION BY RANGE (target_open_time);
ALTER TABLE predictions ADD PRIMARY KEY (exchange, symbol, interval, target_open_time, model_version);
CREATE INDEX predictions_symbol_target_idx ON predictions (symbol, target_open_time DESC);
CREATE INDEX predictions_created_at_idx ON predictions (created_at);

-- One gap covering all time, then a partition for each month the rows have, and the current and next month.
CREATE TABLE candles_gap_min_max PARTITION OF candles FOR VALUES FROM (MINVALUE) TO (MAXVALUE);
CREATE TABLE predictions_gap_min_max PARTITION OF predictions FOR VALUES FROM (MINVALUE) TO (MAXVALUE);
GRANT SELECT ON candles, predictions, candles_gap_min_max, predictions_gap_min_max TO chronoprice_reader;

DO $$
BEGIN
    PERFORM ensure_monthly_partitions(m, m)
    FROM (SELECT date_trunc('month', open_time, 'UTC') AS m FROM candles_v7 WHERE isfinite(open_time)
          UNION
          SELECT date_trunc('month', target_open_time, 'UTC') FROM predictions_v7 WHERE isfinite(target_open_time)
          UNION
          SELECT date_trunc('month', now() + i * interval '1 month', 'UTC') FROM generate_series(0, 1) i) months;
END
$$;

INSERT INTO candles SELECT * FROM candles_v7;
INSERT INTO predictions SELECT * FROM predictions_v7;
DROP TABLE candles_v7;
DROP TABLE predictions_v7;

-- The views exactly as V7 left them.
CREATE VIEW prediction_outcomes AS
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

-- V7's triggers, on the partitioned parents: statement-level with transition tables, which see the rows of every
-- partition a statement wrote.
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
CREATE TRIGGER predictions_reset_accuracy AFTER TRUNCATE ON predictions
    FOR EACH STATEMENT EXECUTE FUNCTION reset_accuracy_rollups();
CREATE TRIGGER candles_reset_accuracy AFTER TRUNCATE ON candles
    FOR EACH STATEMENT EXECUTE FUNCTION reset_accuracy_rollups();

GRANT SELECT ON prediction_outcomes, accuracy_terms TO chronoprice_reader;

-- Autovacuum analyzes the partitions but never a partitioned parent; the planner's estimates for joins over the
-- parents come from these.
ANALYZE candles;
ANALYZE predictions;
