"""Evaluates a checkpoint per symbol against naive and interval baselines.

Datasets are `LABEL=DIR[@START]` (START = first target time, UTC). Defaults: the test
split of the training data (targets >= the checkpoint's val_end) and the 2025 extra data
(out-of-sample, different regime). Writes eval/metrics.json, eval/report.md and one PNG
per dataset and symbol (the day with the largest realised volatility).

Definitions (per symbol, one row per valid window; prices: predicted close = last close x exp(q0.5)):
- MAE, RMSE, MAPE on close; MASE = MAE_model / MAE_naive, naive = "next close = last close", same rows.
- Directional accuracy: sign(q0.5) vs sign(actual log-return) with a 95 % Wilson CI; rows whose
  actual return is exactly 0 (price unchanged) are excluded and counted separately.
- Coverage: share of actual closes inside [q0.1, q0.9] (target 80 %).
- Winkler score (alpha = 0.2) in basis points of log-return, lower is better, against
  static (the symbol's 0.1/0.9 training-return quantiles) and rolling-vol (+/-1.2816 x std of the
  window's 60 log_return features around the last close) baselines.
- Lag test: xcorr(k) = corr(predicted return at t+k, actual return at t), k = -3..+3 on the time grid.
  A model that repeats the last move peaks at k = +1, which fails the test.
"""
import argparse
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (backend must be chosen first)
import numpy as np  # noqa: E402
import torch  # noqa: E402

from data import load_dir, parse_utc_ms, target_indices, windows  # noqa: E402
from export import load_model  # noqa: E402

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
Z80 = 1.2816
ALPHA = 0.2
LAGS = range(-3, 4)


def predict(model, series, targets, window, batch_size=8192):
    """Quantiles [B, 3] (float64), last close, actual log-return and rolling-vol sigma per target."""
    parts = []
    for i in range(0, len(targets), batch_size):
        x, last_close, y = windows(series, targets[i:i + batch_size], window)
        with torch.no_grad():
            q = model(torch.from_numpy(x.astype(np.float32))).double().numpy()
        parts.append((q, last_close, y, x[:, :, 1].std(axis=1)))
    return [np.concatenate(p) for p in zip(*parts)]


def wilson(hits, n, z=1.96):
    if n == 0:
        return float("nan"), float("nan")
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def winkler_bps(lo, hi, y):
    score = (hi - lo) + (2 / ALPHA) * (np.maximum(lo - y, 0) + np.maximum(y - hi, 0))
    return float(score.mean() * 1e4)


def lag_xcorr(times, pred, actual, interval_ms):
    """xcorr(k) = corr(pred[t+k], actual[t]) over grid positions where both exist."""
    pos = (times - times[0]) // interval_ms
    p = np.full(pos[-1] + 1, np.nan)
    a = np.full(pos[-1] + 1, np.nan)
    p[pos], a[pos] = pred, actual
    out = {}
    for k in LAGS:
        pk = p[k:] if k >= 0 else p[:k]
        ak = a[:len(a) - k] if k >= 0 else a[-k:]
        ok = ~np.isnan(pk) & ~np.isnan(ak)
        out[k] = float(np.corrcoef(pk[ok], ak[ok])[0, 1])
    return out


def symbol_metrics(q, last_close, y, sigma, static_q, times, interval_ms):
    actual = last_close * np.exp(y)
    err = last_close * np.exp(q[:, 1]) - actual
    naive_mae = float(np.mean(np.abs(last_close - actual)))
    nonzero = y != 0
    hits = int(np.sum(np.sign(q[nonzero, 1]) == np.sign(y[nonzero])))
    dir_n = int(nonzero.sum())
    ci = wilson(hits, dir_n)
    xcorr = lag_xcorr(times, q[:, 1], y, interval_ms)
    m = {
        "count": int(len(y)),
        "mae": float(np.mean(np.abs(err))),
        "rmse": float(np.sqrt(np.mean(err ** 2))),
        "mape_pct": float(np.mean(np.abs(err) / actual) * 100),
        "naive_mae": naive_mae,
        "mase": float(np.mean(np.abs(err))) / naive_mae,
        "dir_acc": hits / dir_n if dir_n else float("nan"),
        "dir_ci95": list(ci),
        "dir_n": dir_n,
        "zero_return_rows": int(len(y) - dir_n),
        "coverage_pct": float(np.mean((q[:, 0] <= y) & (y <= q[:, 2])) * 100),
        "winkler_bps": winkler_bps(q[:, 0], q[:, 2], y),
        "winkler_rolling_bps": winkler_bps(-Z80 * sigma, Z80 * sigma, y),
        "coverage_rolling_pct": float(np.mean(np.abs(y) <= Z80 * sigma) * 100),
        "lag_xcorr": {str(k): v for k, v in xcorr.items()},
        "lag_peak": max(xcorr, key=xcorr.get),
    }
    if static_q is not None:
        m["winkler_static_bps"] = winkler_bps(np.full_like(y, static_q[0]), np.full_like(y, static_q[1]), y)
        m["coverage_static_pct"] = float(np.mean((static_q[0] <= y) & (y <= static_q[1])) * 100)
    m["targets"] = {
        "mase_le_1": m["mase"] <= 1.0,
        "coverage_80_pm_2": abs(m["coverage_pct"] - 80) <= 2,
        "winkler_le_0.9_static": m["winkler_bps"] <= 0.9 * m["winkler_static_bps"] if static_q else None,
        "winkler_lt_rolling": m["winkler_bps"] < m["winkler_rolling_bps"],
        "lag_peak_not_plus_1": m["lag_peak"] != 1,
    }
    return m


def plot_day(path, symbol, label, times, q, last_close, y):
    """Actual vs predicted close with the 80 % band on the day with the largest sum of |returns|."""
    day = times // 86_400_000
    days, inverse = np.unique(day, return_inverse=True)
    busiest = days[np.argmax(np.bincount(inverse, weights=np.abs(y)))]
    sel = day == busiest
    t = (times[sel] - busiest * 86_400_000) / 3_600_000
    c = last_close[sel]
    fig, ax = plt.subplots(figsize=(12, 4), dpi=80)
    ax.fill_between(t, c * np.exp(q[sel, 0]), c * np.exp(q[sel, 2]), color="tab:orange", alpha=0.3,
                    label="80 % interval (q0.1..q0.9)", step="mid")
    ax.plot(t, c * np.exp(y[sel]), color="black", lw=0.7, label="actual close")
    ax.plot(t, c * np.exp(q[sel, 1]), color="tab:blue", lw=0.7, label="predicted close (q0.5)")
    date = np.datetime64(int(busiest), "D")
    ax.set(title=f"{symbol} 1m, {label}, {date} (UTC), one-step-ahead", xlabel="hour (UTC)", ylabel="USDT")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return str(date)


def evaluate_dataset(model, meta, label, directory, start, out_dir):
    window = meta["window_size"]
    start_ms = parse_utc_ms(start) if start else None
    results = {}
    for series in load_dir(directory, meta["interval"]):
        targets = target_indices(series, window, start_ms)
        if len(targets) == 0:
            continue
        q, last_close, y, sigma = predict(model, series, targets, window)
        times = series.open_time_ms[targets]
        m = symbol_metrics(q, last_close, y, sigma, meta["baseline_static_quantiles"].get(series.symbol),
                           times, series.interval_ms)
        png = out_dir / f"{label}-{series.symbol}.png"
        m["plot"] = {"file": png.name, "day": plot_day(png, series.symbol, label, times, q, last_close, y)}
        results[series.symbol] = m
        print(f"{label} {series.symbol}: n={m['count']} MASE={m['mase']:.4f} cov={m['coverage_pct']:.1f}% "
              f"W={m['winkler_bps']:.2f} static={m.get('winkler_static_bps', float('nan')):.2f} "
              f"roll={m['winkler_rolling_bps']:.2f} lag_peak={m['lag_peak']}", flush=True)
    return results


def fmt(v, spec):
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, spec)


def markdown(datasets):
    """One table per dataset plus the met/not-met table of the honest targets."""
    ok = {True: "met", False: "**not met**", None: "n/a"}
    lines = []
    for label, (source, results) in datasets.items():
        lines += [f"### {label} ({source})", "",
                  "| symbol | n | MAE | RMSE | MAPE % | MAE/naive (MASE) | dir. acc. [95 % CI] (n) | coverage 80 % | "
                  "Winkler bps | static | rolling-vol | lag xcorr -1/0/+1 (peak) |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for sym, m in results.items():
            x = m["lag_xcorr"]
            lines.append(
                f"| {sym} | {m['count']} | {m['mae']:.5g} | {m['rmse']:.5g} | {m['mape_pct']:.4f} | {m['mase']:.4f} | "
                f"{m['dir_acc'] * 100:.1f} % [{m['dir_ci95'][0] * 100:.1f}, {m['dir_ci95'][1] * 100:.1f}] ({m['dir_n']}) | "
                f"{m['coverage_pct']:.1f} % | {m['winkler_bps']:.2f} | {fmt(m.get('winkler_static_bps'), '.2f')} | "
                f"{m['winkler_rolling_bps']:.2f} | {x['-1']:.3f} / {x['0']:.3f} / {x['1']:.3f} ({m['lag_peak']:+d}) |")
        lines += ["", "| symbol | MAE/naive <= 1.000 | coverage 80 +- 2 | Winkler <= 0.90 x static | "
                      "Winkler < rolling-vol | lag peak != +1 |", "|---|---|---|---|---|---|"]
        for sym, m in results.items():
            t = m["targets"]
            lines.append(f"| {sym} | {ok[t['mase_le_1']]} | {ok[t['coverage_80_pm_2']]} | "
                         f"{ok[t['winkler_le_0.9_static']]} | {ok[t['winkler_lt_rolling']]} | "
                         f"{ok[t['lag_peak_not_plus_1']]} |")
        lines.append("")
    return "\n".join(lines)


def summary(datasets):
    """Compact per-symbol numbers for the ONNX metadata."""
    keys = ("count", "mase", "coverage_pct", "winkler_bps", "winkler_static_bps", "winkler_rolling_bps", "dir_acc",
            "lag_peak")
    return {label: {sym: {k: (round(m[k], 5) if isinstance(m.get(k), float) else m.get(k)) for k in keys}
                    for sym, m in results.items()} for label, (_, results) in datasets.items()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=str(HERE / "checkpoints" / "lstm-1m-v1.pt"))
    p.add_argument("--dataset", action="append", metavar="LABEL=DIR[@START]",
                   help=f"repeatable; default: test={SHARED}@<val_end> and extra-2025={SHARED / 'extra'}")
    p.add_argument("--out-dir", default=str(HERE / "eval"))
    p.add_argument("--threads", type=int, default=1, help="1 is faster than 2 on the shared machine")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, meta = load_model(args.checkpoint)
    specs = args.dataset or [f"test={SHARED}@{meta['val_end']}", f"extra-2025={SHARED / 'extra'}"]
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    datasets = {}
    for spec in specs:
        label, _, rest = spec.partition("=")
        directory, _, start = rest.partition("@")
        source = f"{Path(directory).name}/, targets from {start}" if start else f"{Path(directory).name}/, all"
        datasets[label] = (source, evaluate_dataset(model, meta, label, directory, start or None, out_dir))

    report = markdown(datasets)
    (out_dir / "report.md").write_text(f"# Evaluation of {meta['model_version']}\n\n{report}")
    (out_dir / "metrics.json").write_text(json.dumps(
        {"model_version": meta["model_version"], "summary": summary(datasets),
         "datasets": {label: {"source": s, "symbols": r} for label, (s, r) in datasets.items()}}, indent=2) + "\n")
    print(report)


if __name__ == "__main__":
    main()
