"""Loading the shared candle CSVs and enumerating gap-free windows with their targets.

Format (the shared candle format, see the model card): gzip CSV, header open_time_ms,open,high,low,close,volume,
sorted, no duplicates, missing candles simply absent. Gaps are detected by the timestamp step.
"""
import gzip
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from features import features_for

INTERVAL_MS = {"1m": 60_000, "5m": 300_000, "1h": 3_600_000}
FILE_RE = re.compile(r"binance_spot_(?P<symbol>[A-Z0-9]+)_(?P<interval>1m|5m|1h)(?:_[0-9-]+)?\.csv\.gz$")


@dataclass
class Series:
    """One symbol's candles as column arrays (float64 prices, int64 open times)."""
    symbol: str
    interval: str
    open_time_ms: np.ndarray
    ohlcv: np.ndarray  # [rows, 5]: open, high, low, close, volume

    @property
    def interval_ms(self):
        return INTERVAL_MS[self.interval]

    @property
    def label(self):
        """Symbol and first year, e.g. BTCUSDT-2021: one symbol can have several disjoint periods."""
        year = datetime.fromtimestamp(int(self.open_time_ms[0]) / 1000, tz=timezone.utc).year
        return f"{self.symbol}-{year}"


DATA_DIR_ENV = "CHRONOPRICE_DATA_DIR"


def data_dirs(given=None):
    """The candle folders to read: the given ones, else $CHRONOPRICE_DATA_DIR and its extra/ folder if present."""
    if given:
        return [Path(d) for d in given]
    root = os.environ.get(DATA_DIR_ENV)
    if not root:
        raise SystemExit(f"no candle data: pass --data-dir or set {DATA_DIR_ENV} to a folder of "
                         "binance_spot_<SYMBOL>_<interval>.csv.gz files")
    return [Path(root)] + ([Path(root) / "extra"] if (Path(root) / "extra").is_dir() else [])


def parse_utc_ms(text):
    """'2021-05-01' or '2021-05-01T00:00' (UTC) -> epoch milliseconds."""
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp() * 1000)


def load_csv(path):
    """Reads one shared-format file; symbol and interval come from the file name."""
    match = FILE_RE.search(Path(path).name)
    if not match:
        raise ValueError(f"not a shared-format candle file name: {path}")
    with gzip.open(path, "rt") as f:
        header = f.readline().strip()
        if header != "open_time_ms,open,high,low,close,volume":
            raise ValueError(f"{path}: unexpected header {header!r}")
        table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2)
    return Series(match["symbol"], match["interval"], table[:, 0].astype(np.int64), table[:, 1:6])


def load_dir(directory, interval="1m", symbols=None):
    """All files of one interval in a directory (not recursive), sorted by symbol."""
    series = []
    for path in sorted(Path(directory).glob("*.csv.gz")):
        match = FILE_RE.search(path.name)
        if match and match["interval"] == interval and (symbols is None or match["symbol"] in symbols):
            series.append(load_csv(path))
    if not series:
        raise FileNotFoundError(f"no {interval} candle files in {directory}")
    return series


def load_dirs(directories, interval="1m", symbols=None):
    """load_dir over several folders (e.g. two periods of the same symbols), in the given order."""
    found = []
    for d in directories:
        try:
            found += load_dir(d, interval, symbols)
        except FileNotFoundError:
            pass
    if not found:
        raise FileNotFoundError(f"no {interval} candle files in {[str(d) for d in directories]}")
    return found


def target_indices(series, window, start_ms=None, end_ms=None):
    """Indices i of target candles whose N predecessors form a valid window.

    Valid means candles i-N..i are consecutive on the grid (the window plus the target,
    so neither spans a gap) and all their prices are > 0. Optional [start_ms, end_ms)
    filters on the target candle's open time, which is how splits are defined.
    """
    t = series.open_time_ms
    n = len(t)
    if n <= window:
        return np.empty(0, dtype=np.int64)
    idx = np.arange(window, n)
    consecutive = (t[idx] - t[idx - window]) == window * series.interval_ms
    positive = np.all(series.ohlcv[:, :4] > 0, axis=1)
    bad_so_far = np.concatenate([[0], np.cumsum(~positive)])
    all_positive = (bad_so_far[idx + 1] - bad_so_far[idx - window]) == 0
    keep = consecutive & all_positive
    if start_ms is not None:
        keep &= t[idx] >= start_ms
    if end_ms is not None:
        keep &= t[idx] < end_ms
    return idx[keep]


def windows(series, targets, window, spec="1"):
    """Features [B, N, F], last close [B], target log-return [B] and window scale [B] for target indices.

    The scale is what the spec's model outputs are multiplied by to give log-returns (1 for spec 1).
    """
    rows = targets[:, None] + np.arange(-window, 0)[None, :]
    o, h, l, c, v = (series.ohlcv[rows, k] for k in range(5))
    last_close = c[:, -1]
    target = np.log(series.ohlcv[targets, 3] / last_close)
    features, scale = features_for(spec, series.open_time_ms[rows], o, h, l, c, v)
    return features, last_close, target, scale
