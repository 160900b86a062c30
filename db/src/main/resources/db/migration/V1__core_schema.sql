-- ChronoPrice core schema. This directory is the only place DDL lives; every component applies it with
-- Flyway at start (Flyway's advisory lock makes concurrent starts safe, and applied versions are skipped).
-- Prices are double precision: the exchanges' decimal strings are shortest round-trip doubles, and the
-- model works in doubles too.

CREATE TABLE candles (
    exchange    text             NOT NULL,
    symbol      text             NOT NULL,
    interval    text             NOT NULL,
    open_time   timestamptz      NOT NULL,
    open        double precision NOT NULL CHECK (open > 0),
    high        double precision NOT NULL CHECK (high > 0),
    low         double precision NOT NULL CHECK (low > 0),
    close       double precision NOT NULL CHECK (close > 0),
    volume      double precision NOT NULL CHECK (volume >= 0),
    ingested_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (exchange, symbol, interval, open_time),
    CHECK (high >= low)
);

-- "Latest by symbol" and "range by symbol and time" when the caller does not name the exchange.
CREATE INDEX candles_symbol_open_time_idx ON candles (symbol, open_time DESC);

-- Missing candles the source detected (exchanges do have outages). Gaps are recorded, never filled.
CREATE TABLE candle_gaps (
    exchange              text        NOT NULL,
    symbol                text        NOT NULL,
    interval              text        NOT NULL,
    last_open_time_before timestamptz NOT NULL,
    first_open_time_after timestamptz NOT NULL,
    missing_candles       integer     NOT NULL CHECK (missing_candles > 0),
    detected_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (exchange, symbol, interval, first_open_time_after)
);

CREATE TABLE models (
    model_version       text        PRIMARY KEY,
    created_at          timestamptz NOT NULL,
    interval            text        NOT NULL,
    window_size         integer     NOT NULL CHECK (window_size > 1),
    feature_names       text[]      NOT NULL,
    quantiles           double precision[] NOT NULL,
    training_from       timestamptz,
    training_to         timestamptz,
    eval_metrics        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    artifact_sha256     text        NOT NULL CHECK (artifact_sha256 ~ '^[0-9a-f]{64}$'),
    registered_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE predictions (
    exchange             text             NOT NULL,
    symbol               text             NOT NULL,
    interval             text             NOT NULL,
    target_open_time     timestamptz      NOT NULL,
    model_version        text             NOT NULL,
    predicted_close      double precision NOT NULL CHECK (predicted_close > 0),
    lower_close          double precision,
    upper_close          double precision,
    naive_close          double precision NOT NULL CHECK (naive_close > 0),
    window_end_open_time timestamptz      NOT NULL,
    created_at           timestamptz      NOT NULL DEFAULT now(),
    -- The primary key makes a replayed write an idempotent upsert.
    PRIMARY KEY (exchange, symbol, interval, target_open_time, model_version),
    CHECK (window_end_open_time < target_open_time),
    CHECK (lower_close IS NULL OR upper_close IS NULL OR lower_close <= upper_close)
);

CREATE INDEX predictions_symbol_target_idx ON predictions (symbol, target_open_time DESC);
-- Live push and "what changed since" reads go by write time.
CREATE INDEX predictions_created_at_idx ON predictions (created_at);

-- Each prediction next to its actual candle once that candle exists. Errors are predicted minus actual;
-- naive_* is the persistence forecast "next close = last close" on the same row, the yardstick every
-- prediction is judged against. direction_hit is NULL when the actual close did not move (no direction).
CREATE VIEW prediction_outcomes AS
SELECT p.exchange,
       p.symbol,
       p.interval,
       p.target_open_time,
       p.model_version,
       p.predicted_close,
       p.lower_close,
       p.upper_close,
       p.naive_close,
       p.window_end_open_time,
       p.created_at,
       c.close                                   AS actual_close,
       p.predicted_close - c.close               AS error,
       abs(p.predicted_close - c.close)          AS abs_error,
       p.naive_close - c.close                   AS naive_error,
       abs(p.naive_close - c.close)              AS naive_abs_error,
       abs(p.predicted_close - c.close) / c.close AS abs_pct_error,
       CASE
           WHEN c.close IS NULL OR p.lower_close IS NULL OR p.upper_close IS NULL THEN NULL
           ELSE c.close BETWEEN p.lower_close AND p.upper_close
       END                                       AS in_interval,
       CASE
           WHEN c.close IS NULL OR c.close = p.naive_close THEN NULL
           ELSE sign(p.predicted_close - p.naive_close) = sign(c.close - p.naive_close)
       END                                       AS direction_hit
FROM predictions p
LEFT JOIN candles c
       ON c.exchange = p.exchange
      AND c.symbol = p.symbol
      AND c.interval = p.interval
      AND c.open_time = p.target_open_time;
