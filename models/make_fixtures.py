"""Generates the Java parity fixtures of a model: real candle windows with their features and torch outputs,
and (--online) a real sequence of raw forecasts and outcomes with what online.py serves from them.

The Java streaming job must reproduce `features` (and for regime-free models the window `scale`) to 1e-6
from `candles`, and, with ONNX Runtime on the committed .onnx, `outputs` to 1e-5. Windows are chosen
deterministically: random ones per series (from the test split where the series has one), the most extreme
window of 2021-05-19, and the window around the smallest volume in the data. Re-run after any change to
features.py, online.py or the model.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

import online
from data import data_dirs, load_dirs, parse_utc_ms, target_indices, windows
from evaluate import baseline_sigmas, predict
from export import load_model, sha256_of
from features import features_for

HERE = Path(__file__).resolve().parent


def pick_windows(series_list, window, test_start_ms, per_series, seed):
    """(series, index of the window's last candle, reason) for every fixture window."""
    rng = np.random.default_rng(seed)
    picks = []
    for s in series_list:
        # target_indices yields the candle after each valid window; the window ends one before it.
        last = target_indices(s, window) - 1
        test_last = target_indices(s, window, test_start_ms) - 1
        if len(test_last):
            picks += [(s, int(i), "random, test split") for i in rng.choice(test_last, per_series, replace=False)]
            picks.append((s, int(rng.choice(last[~np.isin(last, test_last)])), "random, before the test split"))
        else:
            picks += [(s, int(i), "random") for i in rng.choice(last, per_series, replace=False)]

    day_start = parse_utc_ms("2021-05-19")
    best = None
    for s in series_list:
        last = target_indices(s, window) - 1
        last = last[(s.open_time_ms[last] >= day_start) & (s.open_time_ms[last] < day_start + 86_400_000)]
        ranges = np.log(s.ohlcv[last, 1] / s.ohlcv[last, 2])
        if len(last) and (best is None or ranges.max() > best[0]):
            best = (ranges.max(), s, int(last[np.argmax(ranges)]))
    if best:
        picks.append((best[1], best[2], "extreme: largest high/low range on 2021-05-19 as last candle"))

    candidates = [(s, i) for s in series_list for i in target_indices(s, window) - 1]
    s, i = min(candidates, key=lambda c: c[0].ohlcv[c[1], 4] / c[0].ohlcv[c[1] - window + 1:c[1] + 1, 4].mean())
    picks.append((s, i, "smallest volume relative to its window as last candle"))
    return picks


def fixture_entry(series, last, reason, window, spec):
    rows = slice(last - window + 1, last + 1)
    t = series.open_time_ms[rows]
    o, h, l, c, v = series.ohlcv[rows].T
    features, scale = features_for(spec, t, o, h, l, c, v)
    rolling, ewma = baseline_sigmas(series, np.array([last + 1]), window)
    return {
        "symbol": series.symbol,
        "interval": series.interval,
        "reason": reason,
        "candles": [[int(ti), *map(float, r)] for ti, r in zip(t, series.ohlcv[rows])],
        "features": features.tolist(),
        "scale": float(scale),
        "rolling_sigma": float(rolling[0]),
        "ewma_sigma": float(ewma[0]),
    }


def window_fixture(model, meta, series_list, onnx_path, per_series, seed):
    window, spec = meta["window_size"], meta["feature_spec_version"]
    picks = pick_windows(series_list, window, parse_utc_ms(meta["val_end"]), per_series, seed)
    entries = [fixture_entry(s, i, reason, window, spec) for s, i, reason in picks]
    x = torch.tensor(np.array([e["features"] for e in entries]), dtype=torch.float32)
    with torch.no_grad():
        outputs = model(x).numpy()
    for e, out in zip(entries, outputs):
        e["outputs"] = [float(v) for v in out]
    return {
        "model_version": meta["model_version"],
        "feature_spec_version": spec,
        "output_units": meta.get("output_units", "log_return"),
        "window_size": window,
        "feature_names": meta["feature_names"],
        "quantiles": meta["quantiles"],
        "model_sha256": sha256_of(onnx_path),
        "tolerance": {"features": 1e-6, "outputs": 1e-5},
        "note": "outputs: PyTorch float32 run of the exported model on float32(features), in output_units; "
                "log-return quantiles = outputs x scale",
        "windows": entries,
    }


def online_sequence(model, meta, series, start_ms, length, params):
    """A real sequence of one series: raw forecasts, outcomes and what online.py serves, with a real gap if any."""
    window = meta["window_size"]
    targets = target_indices(series, window, start_ms)[:length]
    q, last_close, y, scale = predict(model, meta["feature_spec_version"], series, targets, window)
    consecutive = np.concatenate([[False], np.diff(targets) == 1])
    served, _ = online.run(q.tolist(), scale.tolist(), y.tolist(), consecutive.tolist(), params)
    return {
        "symbol": series.symbol,
        "params": params.__dict__,
        "steps": [{
            "window_end_open_time": int(series.open_time_ms[t - 1]),
            "target_open_time": int(series.open_time_ms[t]),
            "last_close": float(lc),
            "actual_close": float(series.ohlcv[t, 3]),
            "raw": [float(v) for v in qi],
            "scale": float(sc),
            "served": [float(v) for v in s],
        } for t, lc, qi, sc, s in zip(targets, last_close, q, scale, served)],
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=str(HERE / "checkpoints" / "lstm-1m-v3.pt"))
    p.add_argument("--onnx", help="only its sha256 is recorded; default: <version>.onnx next to this script")
    p.add_argument("--data-dir", action="append", help="default: $CHRONOPRICE_DATA_DIR and its extra/ folder")
    p.add_argument("--per-series", type=int, default=4, help="random windows per series")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", help="default: fixtures/parity-<version>.json")
    p.add_argument("--online", action="store_true",
                   help="also write fixtures/online-serving.json from this model's raw forecasts")
    args = p.parse_args(argv)

    model, meta = load_model(args.checkpoint)
    version = meta["model_version"]
    series_list = load_dirs(data_dirs(args.data_dir), meta["interval"])
    fixture = window_fixture(model, meta, series_list, args.onnx or HERE / f"{version}.onnx", args.per_series,
                             args.seed)
    out = Path(args.out or HERE / "fixtures" / f"parity-{version}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {len(fixture['windows'])} windows to {out} ({out.stat().st_size} bytes)")

    if args.online:
        by_label = {s.label: s for s in series_list}
        sequences = [
            # Default parameters over SOL's real 25-hour gap of 2021-05-14/15: the guard stays off.
            online_sequence(model, meta, by_label["SOLUSDT-2021"], parse_utc_ms("2021-05-14T19:00"), 1500,
                            online.Params()),
            # A guard with no threshold and a high learning rate, so that its weight moves.
            online_sequence(model, meta, by_label["BTCUSDT-2025"], parse_utc_ms("2025-07-05"), 1500,
                            online.Params(eta=20.0, threshold=0.0, horizon=120.0)),
        ]
        path = HERE / "fixtures" / "online-serving.json"
        path.write_text(json.dumps({"model_version": version, "tolerance": 1e-9, "sequences": sequences}) + "\n")
        print(f"wrote {sum(len(s['steps']) for s in sequences)} online steps to {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
