-- Model v2 and the job's online layers (skill guard, interval calibration). predicted_close, lower_close and
-- upper_close stay the served forecast that every reader shows; beside it each row now keeps the model's raw
-- quantiles, the online layers' guard weight and calibration offsets, and the sigmas of the two interval
-- baselines, so that raw and served forecasts and the baselines are judged on the same rows. Rows written
-- before this migration have NULL there.
ALTER TABLE predictions
    ADD COLUMN raw_predicted_close double precision CHECK (raw_predicted_close > 0),
    ADD COLUMN raw_lower_close     double precision,
    ADD COLUMN raw_upper_close     double precision,
    ADD COLUMN guard_weight        double precision CHECK (guard_weight BETWEEN 0 AND 1),
    ADD COLUMN calibration_lower   double precision,
    ADD COLUMN calibration_upper   double precision,
    ADD COLUMN window_scale        double precision CHECK (window_scale >= 0),
    ADD COLUMN rolling_sigma       double precision CHECK (rolling_sigma >= 0),
    ADD COLUMN ewma_sigma          double precision CHECK (ewma_sigma >= 0),
    ADD CHECK (raw_lower_close IS NULL OR raw_upper_close IS NULL OR raw_lower_close <= raw_upper_close);

COMMENT ON COLUMN predictions.predicted_close IS 'served median: the naive forecast moved by guard_weight of the way to the model median';
COMMENT ON COLUMN predictions.guard_weight IS 'weight of the model median against the naive forecast, learned online from resolved predictions';
COMMENT ON COLUMN predictions.calibration_lower IS 'log of the factor on the model lower half-width (online conformal calibration)';
COMMENT ON COLUMN predictions.calibration_upper IS 'log of the factor on the model upper half-width (online conformal calibration)';
COMMENT ON COLUMN predictions.window_scale IS 'volatility scale of the window (the regime-free model unit), log-return';
COMMENT ON COLUMN predictions.rolling_sigma IS 'std of the window log-returns: baseline interval naive x exp(+/-1.2816 sigma)';
COMMENT ON COLUMN predictions.ewma_sigma IS 'RiskMetrics EWMA (lambda 0.94) volatility of the window log-returns: baseline interval as rolling_sigma';

-- The Winkler interval score of an 80 % interval (alpha = 0.2): its width plus 2 / alpha = 10 times the
-- distance by which it missed. Lower is better; it rewards narrow intervals only as long as they cover.
-- NULL without an actual (greatest() would ignore the NULL and return the width). Not STRICT on purpose: a
-- plain SQL body is inlined into the query, a STRICT one with a non-strict body is not.
CREATE FUNCTION winkler_80(lower double precision, upper double precision, actual double precision)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN actual IS NOT NULL
                      THEN (upper - lower) + 10 * greatest(lower - actual, 0) + 10 * greatest(actual - upper, 0)
                 END $$;

-- The view gains the raw forecast, the baselines' intervals and every row's Winkler scores. direction_hit is
-- now also NULL when the served forecast makes no call (it is the naive forecast itself). The join is a
-- subquery, not a WITH: PostgreSQL does not flatten a view whose query has a WITH clause into the query that
-- reads it, so "newest prediction" reads would sort the whole series instead of walking the index.
DROP VIEW prediction_outcomes;
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
    LEFT JOIN candles c
           ON c.exchange = p.exchange
          AND c.symbol = p.symbol
          AND c.interval = p.interval
          AND c.open_time = p.target_open_time
) AS joined;
