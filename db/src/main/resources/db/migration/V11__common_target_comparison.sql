-- The comparison of three or more scored versions from the prefix sums too. /metrics/model compares them on the
-- targets that every one of them predicted; pair sums (V10) cannot give that set in general, so it was read from the
-- window's rows. But the set is the pairs' own wherever, hour by hour, each version resolved exactly the targets it
-- shares with the anchor (the champion, or the first version): there the k-way common targets of the hour are every
-- pair's common targets, and each pair's sums over such hours are the comparison's. Since a pair's common targets of
-- an hour are never more than either version's resolved ones, a run of whole hours has that property exactly when
-- its resolved counts (V7's prefix sums) and pair counts (V10's) all differ by the same number between its two ends,
-- and if a run has it, so does every run that ends with it. So the clean hours are the longest such run that ends
-- where the sums do, found by a galloping then binary search over hours: O(log hours) index probes, one or two when
-- only the newest version's first hour disagrees. The rows are read only outside that run, and only from the first
-- hour in which every version has summed rows: typically the hour in which the newest version started and the hours
-- not refreshed yet. A version that missed targets in the middle of the window leaves its earlier hours to the rows,
-- which is still exact.

-- V10's loss_differences() kept to the targets that every version in p_also predicted too: a primary-key probe
-- each. Plain SQL, so that it is inlined into the caller's plan.
CREATE FUNCTION common_loss_differences(p_exchange text, p_symbol text, p_interval text, p_version_a text,
                                        p_version_b text, p_from timestamptz, p_to timestamptz, p_also text[])
    RETURNS TABLE (target_open_time timestamptz, d double precision, abs_error_a double precision,
                   abs_error_b double precision, naive_abs_error_a double precision,
                   naive_abs_error_b double precision)
    LANGUAGE sql
    STABLE
AS
$$
SELECT l.*
FROM loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b, p_from, p_to) l
WHERE NOT EXISTS (SELECT 1
                  FROM unnest(p_also) v(model_version)
                  WHERE NOT EXISTS (SELECT 1
                                    FROM predictions p
                                    WHERE p.exchange = p_exchange AND p.symbol = p_symbol
                                      AND p.interval = p_interval AND p.target_open_time = l.target_open_time
                                      AND p.model_version = v.model_version))
$$;

-- V10's loss_difference_parts() with the clean hours given, [p_clean_from, p_clean_end), the rows read only before
-- p_until, and the rows' parts ('front', 'back') kept to the targets that every version in p_also predicted too.
CREATE FUNCTION loss_difference_window(p_exchange text, p_symbol text, p_interval text, p_version_a text,
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
    win_after timestamptz := COALESCE(p_after, '-infinity');
    hi        loss_difference_cumulative;
    lo        loss_difference_cumulative;
    clean_n   bigint;
    head_end  timestamptz;
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
    clean_n := COALESCE(hi.targets, 0) - COALESCE(lo.targets, 0);

    RETURN QUERY
    SELECT 'front', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
    FROM common_loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b, win_after,
                                 least(CASE WHEN clean_n > 128 THEN p_clean_from ELSE p_clean_end END, p_until),
                                 p_also) l
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
                AND c.bucket >= p_clean_from AND c.bucket < p_clean_end
              ORDER BY c.bucket
              LIMIT 1) f;
        -- The first 64 are in the hours up to the one whose running count reaches them: a bound in time, so the
        -- read stays small whichever plan the LIMIT gets.
        SELECT c.bucket + interval '1 hour' INTO head_end
        FROM loss_difference_cumulative c
        WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
          AND c.version_a = p_version_a AND c.version_b = p_version_b
          AND c.bucket >= p_clean_from AND c.bucket < p_clean_end AND c.targets >= COALESCE(lo.targets, 0) + 64
        ORDER BY c.bucket
        LIMIT 1;
        RETURN QUERY
        SELECT 'head', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
        FROM loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b,
                              p_clean_from, head_end) l
        LIMIT 64;
    END IF;

    RETURN QUERY
    SELECT 'back', l.*, NULL::bigint, NULL::timestamptz, NULL::float8[], NULL::float8[], NULL::float8[]
    FROM common_loss_differences(p_exchange, p_symbol, p_interval, p_version_a, p_version_b,
                                 greatest(p_clean_end, p_clean_from), p_until, p_also) l
    WHERE l.target_open_time > win_after AND p_clean_end < p_until;
END
$$;

-- V10's function, now the two-version case of the one above: its clean hours are every whole hour of the window
-- before the first marker.
CREATE OR REPLACE FUNCTION loss_difference_parts(p_exchange text, p_symbol text, p_interval text, p_version_a text,
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
DECLARE
    start_bucket timestamptz := CASE WHEN p_after IS NULL OR p_after = '-infinity' THEN '-infinity'::timestamptz
                                     ELSE date_trunc('hour', p_after) + interval '1 hour' END;
    clean_end    timestamptz;
BEGIN
    SELECT COALESCE(min(m.bucket), 'infinity') INTO clean_end
    FROM loss_difference_dirty m
    WHERE m.exchange = p_exchange AND m.symbol = p_symbol AND m.interval = p_interval AND m.bucket >= start_bucket;
    RETURN QUERY
    SELECT * FROM loss_difference_window(p_exchange, p_symbol, p_interval, p_version_a, p_version_b, p_after,
                                         start_bucket, clean_end, 'infinity', '{}');
END
$$;

-- The first hour from p_from on with a change that either rollup (V7's, V10's) has not summed yet, or infinity.
CREATE FUNCTION first_changed_hour(p_exchange text, p_symbol text, p_interval text, p_from timestamptz)
    RETURNS timestamptz
    LANGUAGE plpgsql
    STABLE
AS
$$
BEGIN
    RETURN least(COALESCE((SELECT min(m.bucket) FROM loss_difference_dirty m
                           WHERE m.exchange = p_exchange AND m.symbol = p_symbol AND m.interval = p_interval
                             AND m.bucket >= p_from), 'infinity'),
                 COALESCE((SELECT min(m.bucket) FROM accuracy_dirty m
                           WHERE m.exchange = p_exchange AND m.symbol = p_symbol AND m.interval = p_interval
                             AND m.bucket >= p_from), 'infinity'));
END
$$;

-- Per version of p_versions, its resolved targets before p_before; then per later version, the targets it shares
-- with the first: the running counts of V7's and V10's prefix sums, one index probe each.
CREATE FUNCTION common_target_counts(p_exchange text, p_symbol text, p_interval text, p_versions text[],
                                     p_before timestamptz)
    RETURNS bigint[]
    LANGUAGE plpgsql
    STABLE
    SET plan_cache_mode = force_generic_plan
AS
$$
BEGIN
    RETURN ARRAY(SELECT COALESCE((SELECT c.resolved
                                  FROM accuracy_cumulative c
                                  WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                                    AND c.model_version = v.model_version AND c.bucket < p_before
                                  ORDER BY c.bucket DESC
                                  LIMIT 1), 0)
                 FROM unnest(p_versions) WITH ORDINALITY v(model_version, ord)
                 ORDER BY v.ord)
        || ARRAY(SELECT COALESCE((SELECT c.targets
                                  FROM loss_difference_cumulative c
                                  WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                                    AND c.version_a = least(p_versions[1], v.model_version)
                                    AND c.version_b = greatest(p_versions[1], v.model_version)
                                    AND c.bucket < p_before
                                  ORDER BY c.bucket DESC
                                  LIMIT 1), 0)
                 FROM unnest(p_versions[2:]) WITH ORDINALITY v(model_version, ord)
                 ORDER BY v.ord);
END
$$;

-- Whether the hours from p_from up to where p_end_counts were read are ones in which every version predicted the
-- same targets: every running count of common_target_counts() grew by the same number over them.
CREATE FUNCTION common_counts_agree(p_exchange text, p_symbol text, p_interval text, p_versions text[],
                                    p_from timestamptz, p_end_counts bigint[])
    RETURNS boolean
    LANGUAGE plpgsql
    STABLE
AS
$$
BEGIN
    RETURN (SELECT count(DISTINCT u.e - u.s) <= 1
            FROM unnest(p_end_counts, common_target_counts(p_exchange, p_symbol, p_interval, p_versions, p_from))
                 u(e, s));
END
$$;

-- The pieces from which the API compares the versions p_versions (three or more; the first is the anchor) on the
-- resolved targets of the window (p_after, newest] that all of them predicted: for each later version v, the
-- parts of loss_difference_window() of the pair (anchor, v) in version order, over the same clean hours.
CREATE FUNCTION common_target_parts(p_exchange text, p_symbol text, p_interval text, p_versions text[],
                                    p_after timestamptz)
    RETURNS TABLE (version_a text, version_b text, part text, target_open_time timestamptz, d double precision,
                   abs_error_a double precision, abs_error_b double precision,
                   naive_abs_error_a double precision, naive_abs_error_b double precision, targets bigint,
                   last_target timestamptz, lag_products double precision[], before_tail double precision[],
                   tail double precision[])
    LANGUAGE plpgsql
    STABLE
    SET plan_cache_mode = force_generic_plan
AS
$$
#variable_conflict use_column
DECLARE
    win_after    timestamptz := COALESCE(p_after, '-infinity');
    anchor       text := p_versions[1];
    first_hour   timestamptz;
    after_first  timestamptz;
    start_bucket timestamptz;
    clean_end    timestamptz;
    clean_from   timestamptz;
    lo_hour      timestamptz;
    hi_hour      timestamptz;
    mid_hour     timestamptz;
    step         interval;
    end_counts   bigint[];
    other        text;
BEGIN
    -- The hours before the first marker are summed, so a version has no rows in them before its first summed hour:
    -- no common target lies before the latest of those. (Probing the rows for a version's first target instead
    -- would step over every earlier target of the other versions.)
    clean_end := first_changed_hour(p_exchange, p_symbol, p_interval, date_trunc('hour', win_after));
    SELECT max(COALESCE((SELECT min(c.bucket)
                         FROM accuracy_cumulative c
                         WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
                           AND c.model_version = v.model_version
                           AND c.bucket >= date_trunc('hour', win_after) AND c.bucket < clean_end), clean_end))
    INTO first_hour
    FROM unnest(p_versions) v(model_version);
    after_first := CASE WHEN first_hour > win_after THEN first_hour - interval '1 microsecond' ELSE win_after END;
    start_bucket := CASE WHEN after_first = '-infinity' THEN '-infinity'::timestamptz
                         ELSE date_trunc('hour', after_first) + interval '1 hour' END;
    clean_end := greatest(clean_end, start_bucket);
    IF clean_end = start_bucket THEN
        -- The marker was in the window's partial first hour: look for the first one after it.
        clean_end := first_changed_hour(p_exchange, p_symbol, p_interval, start_bucket);
    END IF;
    clean_from := start_bucket;

    end_counts := common_target_counts(p_exchange, p_symbol, p_interval, p_versions, clean_end);
    IF NOT common_counts_agree(p_exchange, p_symbol, p_interval, p_versions, clean_from, end_counts) THEN
        -- [hi_hour, clean_end) agrees (it holds no sums), [lo_hour, clean_end) does not.
        SELECT min(c.bucket), max(c.bucket) + interval '1 hour' INTO lo_hour, hi_hour
        FROM accuracy_cumulative c
        WHERE c.exchange = p_exchange AND c.symbol = p_symbol AND c.interval = p_interval
          AND c.model_version = ANY (p_versions) AND c.bucket >= clean_from AND c.bucket < clean_end;
        -- Galloping from the start first: the hours that disagree are usually the newest version's first one or two.
        step := interval '1 hour';
        LOOP
            mid_hour := lo_hour + step;
            EXIT WHEN mid_hour >= hi_hour;
            IF common_counts_agree(p_exchange, p_symbol, p_interval, p_versions, mid_hour, end_counts) THEN
                hi_hour := mid_hour;
                EXIT;
            END IF;
            lo_hour := mid_hour;
            step := step * 2;
        END LOOP;
        WHILE hi_hour - lo_hour > interval '1 hour' LOOP
            mid_hour := lo_hour + date_trunc('hour', (hi_hour - lo_hour) / 2);
            IF common_counts_agree(p_exchange, p_symbol, p_interval, p_versions, mid_hour, end_counts) THEN
                hi_hour := mid_hour;
            ELSE
                lo_hour := mid_hour;
            END IF;
        END LOOP;
        clean_from := COALESCE(hi_hour, clean_end);
    END IF;

    FOREACH other IN ARRAY p_versions[2:] LOOP
        RETURN QUERY
        SELECT least(anchor, other), greatest(anchor, other), w.*
        FROM loss_difference_window(p_exchange, p_symbol, p_interval, least(anchor, other),
                                    greatest(anchor, other), after_first, clean_from, clean_end, 'infinity',
                                    array_remove(p_versions[2:], other)) w;
    END LOOP;
END
$$;

GRANT EXECUTE ON FUNCTION loss_difference_window(text, text, text, text, text, timestamptz, timestamptz,
    timestamptz, timestamptz, text[]) TO chronoprice_reader;
GRANT EXECUTE ON FUNCTION common_loss_differences(text, text, text, text, text, timestamptz, timestamptz, text[])
    TO chronoprice_reader;
GRANT EXECUTE ON FUNCTION first_changed_hour(text, text, text, timestamptz) TO chronoprice_reader;
GRANT EXECUTE ON FUNCTION common_target_counts(text, text, text, text[], timestamptz) TO chronoprice_reader;
GRANT EXECUTE ON FUNCTION common_counts_agree(text, text, text, text[], timestamptz, bigint[])
    TO chronoprice_reader;
GRANT EXECUTE ON FUNCTION common_target_parts(text, text, text, text[], timestamptz) TO chronoprice_reader;
