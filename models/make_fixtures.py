"""Generates the Java parity fixture: real candle windows, their features and torch outputs.

The Java streaming job must reproduce `features` to 1e-6 from `candles` and, with ONNX
Runtime on the committed .onnx, `outputs` to 1e-5. Windows are chosen deterministically:
random ones per symbol (mostly from the test split, one from train), the most extreme
window of 2021-05-19, the window around the smallest volume in the data, and windows from
the 2025 extra data. Re-run after any change to features.py or the model.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

from data import load_dir, parse_utc_ms, target_indices
from export import load_model, sha256_of
from features import FEATURE_SPEC_VERSION, compute_features

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"


def pick_windows(series_list, extra_list, window, test_start_ms, train_end_ms, per_symbol, seed):
    """(series, index of the window's last candle, reason) for every fixture window."""
    rng = np.random.default_rng(seed)
    picks = []
    for s in series_list:
        # target_indices yields the candle after each valid window; the window ends one before it.
        test_last = target_indices(s, window, test_start_ms) - 1
        train_last = target_indices(s, window, None, train_end_ms) - 1
        picks += [(s, int(i), "random, test split") for i in rng.choice(test_last, per_symbol, replace=False)]
        picks.append((s, int(rng.choice(train_last)), "random, train split"))

    day_start = parse_utc_ms("2021-05-19")
    best = None
    for s in series_list:
        last = target_indices(s, window) - 1
        last = last[(s.open_time_ms[last] >= day_start) & (s.open_time_ms[last] < day_start + 86_400_000)]
        ranges = np.log(s.ohlcv[last, 1] / s.ohlcv[last, 2])
        if len(last) and (best is None or ranges.max() > best[0]):
            best = (ranges.max(), s, int(last[np.argmax(ranges)]))
    picks.append((best[1], best[2], "extreme: largest high/low range on 2021-05-19 as last candle"))

    candidates = [(s, i) for s in series_list for i in target_indices(s, window) - 1]
    s, i = min(candidates, key=lambda c: c[0].ohlcv[c[1], 4] / c[0].ohlcv[c[1] - window + 1:c[1] + 1, 4].mean())
    picks.append((s, i, "smallest volume relative to its window as last candle"))

    for s in extra_list:
        picks.append((s, int(rng.choice(target_indices(s, window) - 1)), "random, 2025 extra data"))
    return picks


def fixture_entry(series, last, reason, window):
    rows = slice(last - window + 1, last + 1)
    o, h, l, c, v = series.ohlcv[rows].T
    return {
        "symbol": series.symbol,
        "interval": series.interval,
        "reason": reason,
        "candles": [[int(t), *map(float, r)] for t, r in zip(series.open_time_ms[rows], series.ohlcv[rows])],
        "features": compute_features(o, h, l, c, v).tolist(),
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=str(HERE / "checkpoints" / "lstm-1m-v1.pt"))
    p.add_argument("--onnx", default=str(HERE / "lstm-1m-v1.onnx"), help="only its sha256 is recorded")
    p.add_argument("--data-dir", default=str(SHARED))
    p.add_argument("--extra-dir", default=str(SHARED / "extra"))
    p.add_argument("--per-symbol", type=int, default=4, help="random test-split windows per symbol")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default=str(HERE / "fixtures" / "parity-lstm-1m-v1.json"))
    args = p.parse_args(argv)

    model, meta = load_model(args.checkpoint)
    window = meta["window_size"]
    picks = pick_windows(load_dir(args.data_dir, meta["interval"]), load_dir(args.extra_dir, meta["interval"]),
                         window, parse_utc_ms(meta["val_end"]), parse_utc_ms(meta["train_end"]),
                         args.per_symbol, args.seed)
    entries = [fixture_entry(s, i, reason, window) for s, i, reason in picks]
    x = torch.tensor(np.array([e["features"] for e in entries]), dtype=torch.float32)
    with torch.no_grad():
        outputs = model(x).numpy()
    for e, out in zip(entries, outputs):
        e["outputs"] = [float(v) for v in out]

    fixture = {
        "model_version": meta["model_version"],
        "feature_spec_version": FEATURE_SPEC_VERSION,
        "window_size": window,
        "feature_names": meta["feature_names"],
        "quantiles": meta["quantiles"],
        "model_sha256": sha256_of(args.onnx),
        "tolerance": {"features": 1e-6, "outputs": 1e-5},
        "note": "outputs: PyTorch float32 run of the exported model on float32(features); log-return quantiles",
        "windows": entries,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {len(entries)} windows to {args.out} ({Path(args.out).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
