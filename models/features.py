"""The one definition of the model's input features (feature spec version "1").

The Java streaming job re-implements exactly this; the parity fixture
(fixtures/parity-lstm-1m-v1.json) pins it, and tests/test_fixtures.py fails if this
code changes without regenerating the fixture. Do not change it silently.

A window is N consecutive candles (default N = 60), oldest -> newest, with
c_last = close[N-1]. For every candle t = 0..N-1, five features in this order:

    log_close_rel  = ln(close_t / c_last)
    log_return     = ln(close_t / close_{t-1});  for t = 0: ln(close_0 / open_0)
    log_high_low   = ln(high_t / low_t)
    log_close_open = ln(close_t / open_t)
    log_volume_rel = ln(1 + volume_t / (mean(volume over the window) + 1e-12))

All computed in float64. Every feature is scale-free (ratios within the window), which
is why one model serves prices from 0.5 to 124,000 without any global min/max scaling.

A window is valid only if its N candles are consecutive on the interval grid (no gap)
and every price is > 0. The training target is the next candle's log-return
ln(close_N / c_last).
"""
import numpy as np

FEATURE_SPEC_VERSION = "1"
FEATURE_NAMES = ("log_close_rel", "log_return", "log_high_low", "log_close_open", "log_volume_rel")
DEFAULT_WINDOW = 60
VOLUME_EPS = 1e-12


def compute_features(open_, high, low, close, volume):
    """Features for one or many windows.

    Each argument has shape [..., N] (one row per window, oldest candle first);
    returns float64 of shape [..., N, 5] in FEATURE_NAMES order.
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


def window_is_valid(open_time_ms, open_, high, low, close, interval_ms):
    """True if the window's candles are consecutive on the grid and all prices are > 0."""
    steps_ok = np.all(np.diff(np.asarray(open_time_ms, dtype=np.int64)) == interval_ms)
    prices_ok = all(np.all(np.asarray(p, dtype=np.float64) > 0) for p in (open_, high, low, close))
    return bool(steps_ok and prices_ok)
