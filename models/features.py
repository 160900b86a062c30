"""The one definition of the models' input features, per feature spec version.

The Java streaming job re-implements exactly this (io.chronoprice.job.features); the parity
fixtures (fixtures/parity-<model>.json) pin it, and tests/test_fixtures.py fails if this code
changes without regenerating them. Do not change a spec silently: a change is a new version.

A window is N consecutive candles (default N = 60), oldest -> newest, with
c_last = close[N-1]; the target is the next candle's log-return ln(close_N / c_last).

Spec "1" (lstm-1m-v1), five features per candle t, in price units (log-returns):

    log_close_rel  = ln(close_t / c_last)
    log_return     = ln(close_t / close_{t-1});  for t = 0: ln(close_0 / open_0)
    log_high_low   = ln(high_t / low_t)
    log_close_open = ln(close_t / open_t)
    log_volume_rel = ln(1 + volume_t / (mean(volume over the window) + 1e-12))

The model's outputs are log-returns (scale = 1).

Spec "2" (lstm-1m-v2), regime-free: every price feature is divided by the window's own
volatility scale, and the model's outputs are in the same unit, so one model serves quiet and
wild markets alike. The scale blends the close-to-close and the high-low (Parkinson) estimates,
which is steadier than either alone and never 0 while any price moved:

    scale = sqrt((sum_t log_return_t^2 + sum_t log_high_low_t^2 / (4 ln 2)) / (2 N))

Per candle t, eleven features in this order (z = divided by scale; 0 when scale is 0):

    return_z       = log_return_t / scale
    close_rel_z    = log_close_rel_t / scale
    high_low_z     = log_high_low_t / scale
    close_open_z   = log_close_open_t / scale
    log_volume_rel = as in spec 1
    day_sin, day_cos   = sin/cos(2 pi minute_of_day_t / 1440)     (UTC)
    week_sin, week_cos = sin/cos(2 pi day_of_week_t / 7)          (UTC, Monday = 0)
    hour_sin, hour_cos = sin/cos(2 pi minute_of_hour_t / 60)

where the calendar terms are of candle t's open time. Intraday volatility at 1m is strongly
seasonal (the top of each hour, the US open, weekends), and these terms let the model expect it.
The model's outputs are multiplied by scale to give log-returns.

All computed in float64 (the model receives them cast to float32). A window is valid only if
its N candles are consecutive on the interval grid and every price is > 0.
"""
import math

import numpy as np

DEFAULT_WINDOW = 60
VOLUME_EPS = 1e-12

FEATURE_NAMES_V1 = ("log_close_rel", "log_return", "log_high_low", "log_close_open", "log_volume_rel")
FEATURE_NAMES_V2 = ("return_z", "close_rel_z", "high_low_z", "close_open_z", "log_volume_rel",
                    "day_sin", "day_cos", "week_sin", "week_cos", "hour_sin", "hour_cos")

# Kept for the v1 fixture and its tests, which predate spec 2.
FEATURE_SPEC_VERSION = "1"
FEATURE_NAMES = FEATURE_NAMES_V1

MINUTE_MS = 60_000
DAY_MS = 86_400_000
PARKINSON = 4 * math.log(2)


def compute_features(open_, high, low, close, volume):
    """Spec 1 features for one or many windows.

    Each argument has shape [..., N] (one row per window, oldest candle first);
    returns float64 of shape [..., N, 5] in FEATURE_NAMES_V1 order.
    """
    o, h, l, c, v = (np.asarray(a, dtype=np.float64) for a in (open_, high, low, close, volume))
    c_last = c[..., -1:]
    prev_close = np.concatenate([o[..., :1], c[..., :-1]], axis=-1)
    mean_volume = v.mean(axis=-1, keepdims=True)
    return np.stack(
        [
            np.log(c / c_last),
            np.log(c / prev_close),
            np.log(h / l),
            np.log(c / o),
            np.log1p(v / (mean_volume + VOLUME_EPS)),
        ],
        axis=-1,
    )


def window_scale(open_, high, low, close):
    """The spec 2 volatility scale of each window: shape [...] for inputs [..., N]."""
    o, h, l, c = (np.asarray(a, dtype=np.float64) for a in (open_, high, low, close))
    prev_close = np.concatenate([o[..., :1], c[..., :-1]], axis=-1)
    r = np.log(c / prev_close)
    hl = np.log(h / l)
    n = r.shape[-1]
    return np.sqrt((np.sum(r * r, axis=-1) + np.sum(hl * hl, axis=-1) / PARKINSON) / (2 * n))


def calendar(open_time_ms):
    """Six calendar terms [..., N, 6] of each candle's open time (UTC)."""
    t = np.asarray(open_time_ms, dtype=np.int64)
    minute = t // MINUTE_MS
    day_angle = 2 * np.pi * (minute % 1440) / 1440
    # 1970-01-01 was a Thursday: +3 makes Monday 0.
    week_angle = 2 * np.pi * ((t // DAY_MS + 3) % 7) / 7
    hour_angle = 2 * np.pi * (minute % 60) / 60
    return np.stack([np.sin(day_angle), np.cos(day_angle), np.sin(week_angle), np.cos(week_angle),
                     np.sin(hour_angle), np.cos(hour_angle)], axis=-1)


def compute_features_v2(open_time_ms, open_, high, low, close, volume):
    """Spec 2 features [..., N, 11] and the window scale [...] for windows [..., N]."""
    price = compute_features(open_, high, low, close, volume)
    scale = window_scale(open_, high, low, close)
    safe = np.where(scale > 0, scale, 1.0)[..., None]
    z = price[..., :4] / safe[..., None]
    z = np.stack([z[..., 1], z[..., 0], z[..., 2], z[..., 3]], axis=-1)  # return_z first, as named
    features = np.concatenate([z, price[..., 4:5], calendar(open_time_ms)], axis=-1)
    return features, scale


SPECS = {
    "1": {"names": FEATURE_NAMES_V1, "output_units": "log_return"},
    "2": {"names": FEATURE_NAMES_V2, "output_units": "window_scale"},
}


def features_for(spec, open_time_ms, open_, high, low, close, volume):
    """(features, scale) of a spec; scale is 1 for spec 1, whose outputs are log-returns already."""
    if spec == "1":
        feats = compute_features(open_, high, low, close, volume)
        return feats, np.ones(feats.shape[:-2])
    if spec == "2":
        return compute_features_v2(open_time_ms, open_, high, low, close, volume)
    raise ValueError(f"unknown feature spec {spec!r}; known: {sorted(SPECS)}")


def window_is_valid(open_time_ms, open_, high, low, close, interval_ms):
    """True if the window's candles are consecutive on the grid and all prices are > 0."""
    steps_ok = np.all(np.diff(np.asarray(open_time_ms, dtype=np.int64)) == interval_ms)
    prices_ok = all(np.all(np.asarray(p, dtype=np.float64) > 0) for p in (open_, high, low, close))
    return bool(steps_ok and prices_ok)
