"""Trains the quantile LSTM on real 1m Binance candles and saves a checkpoint.

Splits are fixed by the target candle's open time (UTC), the same for every series, so they
are ordered in time: train < --train-end, validation [--train-end, --val-end), test >= --val-end
(never touched here). Scaling is fitted on the training split only. The default is model v3
(feature spec 2, regime-free, one LSTM layer of 16 units); v1's and v2's commands are in the model card. Each
epoch trains on a fresh random subset of the training windows so a full run fits in minutes on 2 cores; early
stopping watches the validation pinball loss, and --max-minutes caps the wall clock.

Next steps: evaluate.py (metrics), export.py (ONNX + metadata), make_fixtures.py.
"""
import argparse
import os
import shlex
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch

from data import data_dirs, load_dirs, parse_utc_ms, target_indices, windows
from features import DEFAULT_WINDOW, SPECS
from model import QUANTILES, QuantileLSTM, pinball_loss

HERE = Path(__file__).resolve().parent
DEFAULT_SYMBOLS = "BTCUSDT,ETHUSDT,BNBUSDT,SOLUSDT,XRPUSDT"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", action="append",
                   help="folder of shared-format candle files (repeatable); default: $CHRONOPRICE_DATA_DIR "
                        "and its extra/ folder")
    p.add_argument("--symbols", default=DEFAULT_SYMBOLS, help="comma-separated")
    p.add_argument("--interval", default="1m")
    p.add_argument("--window", type=int, default=DEFAULT_WINDOW)
    p.add_argument("--feature-spec", default="2", choices=sorted(SPECS))
    p.add_argument("--train-end", default="2025-06-20", help="UTC; first target time not in train")
    p.add_argument("--val-end", default="2025-07-05", help="UTC; first target time of the test split")
    p.add_argument("--hidden", type=int, default=16)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--samples-per-epoch", type=int, default=80_000)
    p.add_argument("--val-samples", type=int, default=20_000)
    p.add_argument("--scaling-samples", type=int, default=50_000)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--patience", type=int, default=4, help="epochs without validation improvement")
    p.add_argument("--max-minutes", type=float, default=25,
                   help="wall-clock budget; no new epoch starts after it")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; on a small machine with other work running, 1 avoids OpenMP spin-waiting")
    p.add_argument("--version", default="lstm-1m-v3")
    p.add_argument("--out", help="default: checkpoints/<version>.pt")
    return p.parse_args(argv)


def sample(index, n, rng):
    """Up to n (series, target index) pairs drawn without replacement, sorted for locality."""
    if len(index) > n:
        index = index[np.sort(rng.choice(len(index), size=n, replace=False))]
    return index


def gather(series_list, index, window, spec):
    """Features and targets (in the spec's output units) for (series id, target index) pairs, as float32 tensors."""
    xs, ys = [], []
    for sid in np.unique(index[:, 0]):
        x, _, y, scale = windows(series_list[sid], index[index[:, 0] == sid, 1], window, spec)
        xs.append(x)
        ys.append(model_units(y, scale))
    return torch.from_numpy(np.concatenate(xs).astype(np.float32)), torch.from_numpy(np.concatenate(ys).astype(np.float32))


def model_units(log_return, scale):
    """A target log-return in the model's output units; a window whose scale is 0 (no price moved) gives 0."""
    return np.divide(log_return, scale, out=np.zeros_like(log_return), where=scale > 0)


def split_index(series_list, window, start_ms, end_ms):
    """All valid (series id, target index) pairs whose target time is in [start_ms, end_ms)."""
    parts = [np.stack([np.full(len(t), sid), t], axis=1)
             for sid, t in ((sid, target_indices(s, window, start_ms, end_ms)) for sid, s in enumerate(series_list))]
    return np.concatenate(parts).astype(np.int64)


def evaluate_loss(model, x, y, batch_size):
    model.eval()
    with torch.no_grad():
        losses = [pinball_loss(model.forward_scaled(x[i:i + batch_size]), y[i:i + batch_size]) * len(y[i:i + batch_size])
                  for i in range(0, len(y), batch_size)]
    return float(sum(losses) / len(y))


def iso_minute(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def main(argv=None):
    args = parse_args(argv)
    started = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)

    args.out = args.out or str(HERE / "checkpoints" / f"{args.version}.pt")
    spec = args.feature_spec
    feature_names = SPECS[spec]["names"]
    series_list = load_dirs(data_dirs(args.data_dir), args.interval, set(args.symbols.split(",")))
    train_end, val_end = parse_utc_ms(args.train_end), parse_utc_ms(args.val_end)
    train_index = split_index(series_list, args.window, None, train_end)
    val_index = split_index(series_list, args.window, train_end, val_end)
    print(f"series {[s.label for s in series_list]}: {len(train_index)} train / {len(val_index)} validation windows",
          flush=True)

    scale_x, _ = gather(series_list, sample(train_index, args.scaling_samples, rng), args.window, spec)
    feature_mean = scale_x.double().mean(dim=(0, 1))
    # A feature that never varies in the sample (the day of the week in a short slice) keeps a unit std.
    feature_std = scale_x.double().std(dim=(0, 1))
    feature_std = torch.where(feature_std > 1e-8, feature_std, torch.ones_like(feature_std))
    train_windows = [windows(s, train_index[train_index[:, 0] == sid, 1], args.window, spec)
                     for sid, s in enumerate(series_list)]
    target_std = float(np.std(np.concatenate([model_units(w[2], w[3]) for w in train_windows])))
    static_quantiles = {}
    for s, w in zip(series_list, train_windows):
        if len(w[2]):
            static_quantiles.setdefault(s.symbol, [float(q) for q in np.quantile(w[2], (0.1, 0.9))])
    del train_windows

    model = QuantileLSTM(len(feature_names), args.hidden, args.layers, args.dropout)
    model.set_scaling(feature_mean, feature_std, target_std)
    val_x, val_y = gather(series_list, sample(val_index, args.val_samples, rng), args.window, spec)
    val_y = val_y / target_std
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

    best = (float("inf"), None, 0)
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        x, y = gather(series_list, sample(train_index, args.samples_per_epoch, rng), args.window, spec)
        y = y / target_std
        order = torch.from_numpy(rng.permutation(len(y)))
        model.train()
        total = 0.0
        for i in range(0, len(y), args.batch_size):
            batch = order[i:i + args.batch_size]
            optimizer.zero_grad()
            loss = pinball_loss(model.forward_scaled(x[batch]), y[batch])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            total += float(loss) * len(batch)
        val_loss = evaluate_loss(model, val_x, val_y, 2048)
        improved = val_loss < best[0]
        if improved:
            best = (val_loss, {k: v.clone() for k, v in model.state_dict().items()}, epoch)
        print(f"epoch {epoch:3d}  train {total / len(y):.5f}  val {val_loss:.5f}{'  *' if improved else ''}  "
              f"{time.time() - t0:.0f}s", flush=True)
        if epoch - best[2] >= args.patience:
            print(f"early stop: no validation improvement for {args.patience} epochs", flush=True)
            break
        if time.time() - started > args.max_minutes * 60:
            print(f"stop: time budget of {args.max_minutes} min used", flush=True)
            break

    model.load_state_dict(best[1])
    duration = time.time() - started
    first_ms = min(int(s.open_time_ms[0]) for s in series_list)
    checkpoint = {
        "state_dict": model.state_dict(),
        "config": model.config,
        "meta": {
            "model_version": args.version,
            "window_size": args.window,
            "interval": args.interval,
            "feature_names": list(feature_names),
            "feature_spec_version": spec,
            "output_units": SPECS[spec]["output_units"],
            "quantiles": list(QUANTILES),
            "symbols": sorted({s.symbol for s in series_list}),
            "series": [s.label for s in series_list],
            "train_end": args.train_end,
            "val_end": args.val_end,
            "training_data_range": f"{iso_minute(first_ms)}/{iso_minute(train_end)}",
            "scaling": {"feature_mean": feature_mean.tolist(), "feature_std": feature_std.tolist(),
                        "target_std": target_std},
            "baseline_static_quantiles": static_quantiles,
            "best_epoch": best[2],
            "best_val_pinball": best[0],
            "train_command": "/usr/bin/python3 " + shlex.join([sys.argv[0]] + (sys.argv[1:] if argv is None else argv)),
            "train_seconds": round(duration, 1),
            "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, args.out)
    shown = os.path.relpath(args.out) if Path(args.out).resolve().is_relative_to(Path.cwd()) else args.out
    print(f"best epoch {best[2]} (val pinball {best[0]:.5f}); saved {shown}; took {duration / 60:.1f} min", flush=True)
    return args.out


if __name__ == "__main__":
    main()
