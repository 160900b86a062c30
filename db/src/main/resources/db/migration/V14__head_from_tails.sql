-- The clean hours' first 64 loss differences ('head' of V11's loss_difference_window()) from the prefix sums' own
-- tails instead of the rows. Every uncached /metrics/model report that compares versions read them from the rows: 64
-- of version a's predictions, each with a probe for its candle and one for version b's forecast, about half of the
-- function's time.
--
-- Each summed hour keeps the last 64 d of the sequence through its end (its tail). The head is the d at positions
-- n + 1 .. n + 64, where n is the count before the clean hours. The first summed hour whose running count reaches
-- n + 64 holds the last of them in its tail; the summed hour before it, the first of them, since an hour of 1m or
-- longer candles holds at most 60 targets. Both tails are of hours before the first marker, so they hold what the
-- rows do. Should they not cover the 64 (an hour with more than 64 targets), the rows are read as before.
--
-- The window's rows before and after the summed hours are read only when there are any: a generic plan that reads
-- rows locks every monthly partition of predictions and candles, whether or not it finds a row, and that cost grows
-- with the months of history (BENCHMARKS.md).

CREATE OR REPLACE FUNCTION loss_difference_window(p_exchange text, p_symbol text, p_interval text, p_version_a text,
                                                  p_version_b text, p_after timestamptz, p_clean_from timestamptz,
                                                  p_clean_end timestamptz, p_until timestamptz, p_also text[])
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
    hi           loss_difference_cumulative;
    lo           loss_difference_cumulative;
    reach        loss_difference_cumulative;
    earlier_n    bigint;
    earlier_tail double precision[];
    clean_n      bigint;
    lo_n         bigint;
    front_end    timestamptz;
    head         double precision[];
BEGIN
    SELECT * INTO hi
    FROM loss_difference_cumulative c
    WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
      AND c.version_a = p_version_a AND c.version_b = p_version_b
      AND c.bucket >= p_clean_from AND c.bucket < p_clean_end
    ORDER BY c.bucket DESC
    LIMIT 1;
    SELECT * INTO lo
    FROM loss_difference_cumulative c
    WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
      AND c.version_a = p_version_a AND c.version_b = p_version_b
      AND c.bucket < p_clean_from
    ORDER BY c.bucket DESC
    LIMIT 1;
    lo_n := COALESCE(lo.targets, 0);
    clean_n := COALESCE(hi.targets, 0) - lo_n;

    -- The rows' parts only when their range holds a target: each statement that reads rows locks every partition.
    front_end := least(CASE WHEN clean_n > 128 THEN p_clean_from ELSE p_clean_end END, p_until);
    IF front_end > win_after THEN
        RETURN QUERY
        SELECT 'front', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
        FROM common_loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b, win_after,
                                     front_end, p_also) l
        WHERE l.target_open_time > win_after;
    END IF;

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
                AND c.bucket >= p_clean_from AND c.bucket < p_clean_end
              ORDER BY c.bucket
              LIMIT 1) f;
        -- The hour whose running count reaches the 64th clean target, and the summed hour before it.
        SELECT * INTO reach
        FROM loss_difference_cumulative c
        WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
          AND c.version_a = p_version_a AND c.version_b = p_version_b
          AND c.bucket >= p_clean_from AND c.bucket < p_clean_end AND c.targets >= lo_n + 64
        ORDER BY c.bucket
        LIMIT 1;
        SELECT c.targets, c.tail INTO earlier_n, earlier_tail
        FROM loss_difference_cumulative c
        WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
          AND c.version_a = p_version_a AND c.version_b = p_version_b
          AND c.bucket >= p_clean_from AND c.bucket < reach.bucket
        ORDER BY c.bucket DESC
        LIMIT 1;
        -- A tail's last value is at the position of its hour's running count; keep positions n + 1 .. n + 64.
        SELECT array_agg(x.d ORDER BY x.pos) INTO head
        FROM (SELECT DISTINCT ON (t.pos) t.pos, t.d
              FROM (SELECT earlier_n - cardinality(earlier_tail) + o AS pos, v AS d
                    FROM unnest(earlier_tail) WITH ORDINALITY u(v, o)
                    UNION ALL
                    SELECT reach.targets - cardinality(reach.tail) + o, v
                    FROM unnest(reach.tail) WITH ORDINALITY u(v, o)) t
              WHERE t.pos > lo_n AND t.pos <= lo_n + 64
              ORDER BY t.pos) x;
        IF cardinality(head) = 64 THEN
            RETURN QUERY
            SELECT 'head', NULL::timestamptz, h.d, NULL::float8, NULL::float8, NULL::float8, NULL::float8,
                   NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
            FROM unnest(head) WITH ORDINALITY h(d, o)
            ORDER BY h.o;
        ELSE
            RETURN QUERY
            SELECT 'head', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
            FROM loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b,
                                  p_clean_from, reach.bucket + interval '1 hour') l
            LIMIT 64;
        END IF;
    END IF;

    IF p_clean_end < p_until THEN
        RETURN QUERY
        SELECT 'back', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
        FROM common_loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b,
                                     greatest(p_clean_end, p_clean_from), p_until, p_also) l
        WHERE l.target_open_time > win_after;
    END IF;
END
$$;
