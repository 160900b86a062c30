-- The accuracy of every model version on one series, defined once: the API's /metrics/model and the backtest
-- report both read this function, so a MASE or a coverage means the same wherever it is shown.
--
-- Rows are the predictions whose target is after p_after (NULL: all of them); metrics that need the actual use the
-- resolved ones only. Served, raw and baseline figures are aggregated in the same pass, so all of them are judged on
-- the same rows. The raw MASE divides by the naive MAE of the rows that have a raw forecast (pre-V4 rows have none).
-- Winkler scores are in basis points of the actual close. Counts are returned next to every proportion so that
-- callers can put an interval around it.
--
-- A single SELECT in a STABLE SQL function: PostgreSQL inlines it into the caller's query, so the series and time
-- bounds reach the primary-key index as if the query had been written out in place.
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
    LANGUAGE sql
    STABLE
AS
$$
SELECT o.model_version,
       count(*),
       count(o.actual_close),
       min(o.target_open_time),
       max(o.target_open_time),
       avg(o.abs_error),
       sqrt(avg(o.error * o.error)),
       100 * avg(o.abs_pct_error),
       avg(o.naive_abs_error),
       avg(o.abs_error) / NULLIF(avg(o.naive_abs_error), 0),
       count(*) FILTER (WHERE o.direction_hit),
       count(o.direction_hit),
       count(*) FILTER (WHERE o.in_interval),
       count(o.in_interval),
       10000 * avg(o.winkler / o.actual_close),
       avg(o.guard_weight) FILTER (WHERE o.actual_close IS NOT NULL),
       count(o.raw_abs_error),
       avg(o.raw_abs_error),
       avg(o.naive_abs_error) FILTER (WHERE o.raw_abs_error IS NOT NULL),
       avg(o.raw_abs_error) / NULLIF(avg(o.naive_abs_error) FILTER (WHERE o.raw_abs_error IS NOT NULL), 0),
       count(*) FILTER (WHERE o.raw_direction_hit),
       count(o.raw_direction_hit),
       count(*) FILTER (WHERE o.raw_in_interval),
       count(o.raw_in_interval),
       10000 * avg(o.raw_winkler / o.actual_close),
       count(*) FILTER (WHERE o.rolling_in_interval),
       count(o.rolling_in_interval),
       10000 * avg(o.rolling_winkler / o.actual_close),
       count(*) FILTER (WHERE o.ewma_in_interval),
       count(o.ewma_in_interval),
       10000 * avg(o.ewma_winkler / o.actual_close)
FROM prediction_outcomes o
WHERE o.exchange = p_exchange
  AND o.symbol = p_symbol
  AND o.interval = p_interval
  AND o.target_open_time > COALESCE(p_after, '-infinity')
GROUP BY o.model_version
$$;
