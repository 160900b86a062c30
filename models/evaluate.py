"""Evaluates a checkpoint per series against naive and interval baselines, raw and served.

Datasets are `LABEL=DIR[@START[/END]]` (START, END = target times, UTC). Default: the test split of
the checkpoint (targets >= its val_end) in every folder of $CHRONOPRICE_DATA_DIR. Writes
eval/<version>/metrics.json, report.md and one PNG per dataset and series (its most volatile day).

Rows: one per gap-free window, the same rows for the model, the baselines and --compare models.
"Served" is what the streaming job serves: the raw quantiles passed through online.py (skill guard
and interval calibration) with a fresh state at the start of each dataset, as a backtest does.

Definitions (per series):
- MAE, RMSE, MAPE on close; MASE = MAE / MAE of naive ("next close = last close"), same rows.
- Directional accuracy: sign(median) vs sign(actual log-return), 95 % Wilson CI; rows whose actual
  return is exactly 0 are excluded (counted in zero_return_rows). A served median of exactly 0 (naive)
  has no direction and counts as a miss.
- Coverage: share of actual closes inside [q0.1, q0.9] (target 80 %).
- Winkler score (alpha = 0.2) in basis points of log-return, lower is better, for the model and for
  three baselines around the last close: rolling-vol (+/-1.2816 x std of the window's 60 log-returns),
  ewma (+/-1.2816 x RiskMetrics EWMA volatility, lambda 0.94, over the same 60 returns) and static
  (the symbol's 0.1/0.9 training-return quantiles).
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

import online  # noqa: E402
from data import data_dirs, load_dir, parse_utc_ms, target_indices, windows  # noqa: E402
from export import load_model  # noqa: E402

HERE = Path(__file__).resolve().parent
Z80 = 1.2816
ALPHA = 0.2
EWMA_LAMBDA = 0.94
LAGS = range(-3, 4)


def baseline_sigmas(series, targets, window):
    """Rolling std and EWMA volatility of each window's 60 log-returns (the first one: ln(close_0 / open_0))."""
    rows = targets[:, None] + np.arange(-window, 0)[None, :]
    o, c = series.ohlcv[rows, 0], series.ohlcv[rows, 3]
    r = np.log(c / np.concatenate([o[:, :1], c[:, :-1]], axis=1))
    weights = EWMA_LAMBDA ** np.arange(window - 1, -1, -1)
    return r.std(axis=1), np.sqrt((r * r) @ weights / weights.sum())


def predict(model, spec, series, targets, window, batch_size=8192):
    """Raw log-return quantiles [B, 3], last close, actual log-return and the window scale per target."""
    parts = []
    for i in range(0, len(targets), batch_size):
        x, last_close, y, scale = windows(series, targets[i:i + batch_size], window, spec)
        with torch.no_grad():
            q = model(torch.from_numpy(x.astype(np.float32))).double().numpy()
        parts.append((q * scale[:, None], last_close, y, scale))
    return [np.concatenate(p) for p in zip(*parts)]


def serve(q, scale, y, targets, params):
    """The served quantiles [B, 3] and guard weights of one series, replayed in time order."""
    consecutive = np.concatenate([[False], np.diff(targets) == 1])
    out, _ = online.run(q.tolist(), scale.tolist(), y.tolist(), consecutive.tolist(), params)
    lower, median, upper, weight = (np.array(v) for v in zip(*out))
    return np.stack([lower, median, upper], axis=1), weight


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
        out[k] = float(np.corrcoef(pk[ok], ak[ok])[0, 1]) if np.std(pk[ok]) > 0 else 0.0
    return out


def forecast_metrics(q, last_close, y, times, interval_ms):
    """Point and interval metrics of one set of quantiles [B, 3] (log-returns) on the rows."""
    actual = last_close * np.exp(y)
    err = last_close * np.exp(q[:, 1]) - actual
    naive_mae = float(np.mean(np.abs(last_close - actual)))
    # A median of exactly 0 is the naive forecast: it makes no directional call and is not counted.
    calls = (y != 0) & (q[:, 1] != 0)
    hits = int(np.sum(np.sign(q[calls, 1]) == np.sign(y[calls])))
    dir_n = int(calls.sum())
    xcorr = lag_xcorr(times, q[:, 1], y, interval_ms) if np.any(q[:, 1] != 0) else None
    return {
        "mae": float(np.mean(np.abs(err))),
        "rmse": float(np.sqrt(np.mean(err ** 2))),
        "mape_pct": float(np.mean(np.abs(err) / actual) * 100),
        "naive_mae": naive_mae,
        "mase": float(np.mean(np.abs(err))) / naive_mae,
        "dir_acc": hits / dir_n if dir_n else float("nan"),
        "dir_ci95": list(wilson(hits, dir_n)),
        "dir_n": dir_n,
        "zero_return_rows": int(np.sum(y == 0)),
        "coverage_pct": float(np.mean((q[:, 0] <= y) & (y <= q[:, 2])) * 100),
        "winkler_bps": winkler_bps(q[:, 0], q[:, 2], y),
        "lag_xcorr": {str(k): v for k, v in xcorr.items()} if xcorr else None,
        "lag_peak": max(xcorr, key=xcorr.get) if xcorr else None,
    }


def baseline_metrics(y, rolling_sigma, ewma_sigma, static_q):
    m = {
        "winkler_rolling_bps": winkler_bps(-Z80 * rolling_sigma, Z80 * rolling_sigma, y),
        "coverage_rolling_pct": float(np.mean(np.abs(y) <= Z80 * rolling_sigma) * 100),
        "winkler_ewma_bps": winkler_bps(-Z80 * ewma_sigma, Z80 * ewma_sigma, y),
        "coverage_ewma_pct": float(np.mean(np.abs(y) <= Z80 * ewma_sigma) * 100),
    }
    if static_q is not None:
        m["winkler_static_bps"] = winkler_bps(np.full_like(y, static_q[0]), np.full_like(y, static_q[1]), y)
        m["coverage_static_pct"] = float(np.mean((static_q[0] <= y) & (y <= static_q[1])) * 100)
    return m


def targets_met(raw, served, baselines):
    return {
        "served_mase_le_1": served["mase"] <= 1.0,
        "served_coverage_80_pm_2": abs(served["coverage_pct"] - 80) <= 2,
        "served_winkler_le_0.95_rolling": served["winkler_bps"] <= 0.95 * baselines["winkler_rolling_bps"],
        # The lag test asks whether the model echoes the last move; a served median that is naive has no lag.
        "lag_peak_not_plus_1": raw["lag_peak"] != 1,
    }


def plot_day(path, title, times, q, last_close, y):
    """Actual vs served close with the 80 % band on the day with the largest sum of |returns|."""
    day = times // 86_400_000
    days, inverse = np.unique(day, return_inverse=True)
    busiest = days[np.argmax(np.bincount(inverse, weights=np.abs(y)))]
    sel = day == busiest
    t = (times[sel] - busiest * 86_400_000) / 3_600_000
    c = last_close[sel]
    fig, ax = plt.subplots(figsize=(12, 4), dpi=80)
    ax.fill_between(t, c * np.exp(q[sel, 0]), c * np.exp(q[sel, 2]), color="tab:orange", alpha=0.3,
                    label="served 80 % interval", step="mid")
    ax.plot(t, c * np.exp(y[sel]), color="black", lw=0.7, label="actual close")
    ax.plot(t, c * np.exp(q[sel, 1]), color="tab:blue", lw=0.7, label="served median")
    date = np.datetime64(int(busiest), "D")
    ax.set(title=f"{title}, {date} (UTC), one-step-ahead", xlabel="hour (UTC)", ylabel="USDT")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return str(date)


def evaluate_series(models, series, targets, params, plot_path, label):
    """Metrics of every model (raw and served) and of the baselines on one series' rows."""
    window = models[0][1]["window_size"]
    times = series.open_time_ms[targets]
    rolling_sigma, ewma_sigma = baseline_sigmas(series, targets, window)
    result = {"count": int(len(targets)), "first_target": int(times[0]), "last_target": int(times[-1]),
              "models": {}}
    for model, meta in models:
        q, last_close, y, scale = predict(model, meta["feature_spec_version"], series, targets, window)
        served, weight = serve(q, scale, y, targets, params)
        result["models"][meta["model_version"]] = {
            "raw": forecast_metrics(q, last_close, y, times, series.interval_ms),
            "served": forecast_metrics(served, last_close, y, times, series.interval_ms),
            "guard_weight_mean": float(weight.mean()),
            "guard_weight_zero_pct": float(np.mean(weight == 0) * 100),
        }
        if plot_path is not None and model is models[0][0]:
            result["plot"] = {"file": plot_path.name, "day": plot_day(
                plot_path, f"{series.symbol} 1m, {label}, {meta['model_version']} served", times, served, last_close, y)}
            plot_path = None
    primary = models[0][1]
    result["baselines"] = baseline_metrics(y, rolling_sigma, ewma_sigma,
                                           primary.get("baseline_static_quantiles", {}).get(series.symbol))
    m = result["models"][primary["model_version"]]
    result["targets"] = targets_met(m["raw"], m["served"], result["baselines"])
    return result


def evaluate_dataset(models, label, directories, start, end, params, out_dir):
    meta = models[0][1]
    results = {}
    for d in directories:
        try:
            found = load_dir(d, meta["interval"])
        except FileNotFoundError:
            continue
        for series in found:
            targets = target_indices(series, meta["window_size"], parse_utc_ms(start) if start else None,
                                     parse_utc_ms(end) if end else None)
            if len(targets) == 0:
                continue
            key = series.label
            r = evaluate_series(models, series, targets, params, out_dir / f"{label}-{key}.png", label)
            results[key] = r
            m = r["models"][meta["model_version"]]
            b = r["baselines"]
            print(f"{label} {key}: n={r['count']} raw MASE={m['raw']['mase']:.4f} cov={m['raw']['coverage_pct']:.1f}% "
                  f"W={m['raw']['winkler_bps']:.2f} | served MASE={m['served']['mase']:.4f} "
                  f"cov={m['served']['coverage_pct']:.1f}% W={m['served']['winkler_bps']:.2f} | "
                  f"rolling W={b['winkler_rolling_bps']:.2f} ewma W={b['winkler_ewma_bps']:.2f}", flush=True)
    return results


def direction(m, ci=False):
    if not m["dir_n"]:
        return "no call (naive)"
    text = f"{m['dir_acc'] * 100:.1f} %"
    if ci:
        text += f" [{m['dir_ci95'][0] * 100:.1f}, {m['dir_ci95'][1] * 100:.1f}]"
    return f"{text} ({m['dir_n']})"


def fmt(v, spec):
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, spec)


def markdown(datasets, primary):
    """Per dataset: the served table, raw vs served, the baselines, other models, and the targets."""
    ok = {True: "met", False: "**not met**"}
    lines = []
    for label, (source, results) in datasets.items():
        lines += [f"### {label} ({source})", "",
                  f"{primary}, served (after the skill guard and the interval calibration); directional accuracy "
                  "counts only forecasts that make a call (a served median equal to naive makes none), the "
                  "raw model's calls are in the last columns:", "",
                  "| series | n | MAE | RMSE | MAPE % | MASE | coverage 80 % | Winkler bps | served dir. acc. (calls) | "
                  "raw dir. acc. [95 % CI] (calls) | raw lag xcorr -1/0/+1 (peak) |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for key, r in results.items():
            m = r["models"][primary]["served"]
            raw = r["models"][primary]["raw"]
            x = raw["lag_xcorr"]
            lines.append(
                f"| {key} | {r['count']} | {m['mae']:.5g} | {m['rmse']:.5g} | {m['mape_pct']:.4f} | {m['mase']:.4f} | "
                f"{m['coverage_pct']:.1f} % | {m['winkler_bps']:.2f} | {direction(m)} | {direction(raw, ci=True)} | "
                f"{x['-1']:.3f} / {x['0']:.3f} / {x['1']:.3f} ({raw['lag_peak']:+d}) |")
        lines += ["", "Raw vs served, every model on the same rows, and the interval baselines (Winkler bps; "
                      "ratio = served Winkler / rolling-vol Winkler):", "",
                  "| series | model | raw MASE | served MASE | raw cov. | served cov. | raw Winkler | served Winkler | "
                  "mean guard w | rolling-vol (cov.) | EWMA (cov.) | static | ratio |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for key, r in results.items():
            b = r["baselines"]
            for version, m in r["models"].items():
                lines.append(
                    f"| {key} | {version} | {m['raw']['mase']:.4f} | {m['served']['mase']:.4f} | "
                    f"{m['raw']['coverage_pct']:.1f} % | {m['served']['coverage_pct']:.1f} % | "
                    f"{m['raw']['winkler_bps']:.2f} | {m['served']['winkler_bps']:.2f} | {m['guard_weight_mean']:.3f} | "
                    f"{b['winkler_rolling_bps']:.2f} ({b['coverage_rolling_pct']:.1f} %) | "
                    f"{b['winkler_ewma_bps']:.2f} ({b['coverage_ewma_pct']:.1f} %) | "
                    f"{fmt(b.get('winkler_static_bps'), '.2f')} | "
                    f"{m['served']['winkler_bps'] / b['winkler_rolling_bps']:.3f} |")
        lines += ["", "| series | served MASE <= 1.000 | served coverage 80 +- 2 | served Winkler <= 0.95 x rolling-vol | "
                      "lag peak != +1 |", "|---|---|---|---|---|"]
        for key, r in results.items():
            t = r["targets"]
            lines.append(f"| {key} | {ok[t['served_mase_le_1']]} | {ok[t['served_coverage_80_pm_2']]} | "
                         f"{ok[t['served_winkler_le_0.95_rolling']]} | {ok[t['lag_peak_not_plus_1']]} |")
        lines.append("")
    return "\n".join(lines)


def summary(datasets, primary):
    """Compact per-series numbers of the primary model for the ONNX metadata."""
    out = {}
    for label, (_, results) in datasets.items():
        out[label] = {}
        for key, r in results.items():
            m = r["models"][primary]
            out[label][key] = {
                "count": r["count"],
                "raw_mase": round(m["raw"]["mase"], 5), "served_mase": round(m["served"]["mase"], 5),
                "raw_coverage_pct": round(m["raw"]["coverage_pct"], 3),
                "served_coverage_pct": round(m["served"]["coverage_pct"], 3),
                "raw_winkler_bps": round(m["raw"]["winkler_bps"], 4),
                "served_winkler_bps": round(m["served"]["winkler_bps"], 4),
                "winkler_rolling_bps": round(r["baselines"]["winkler_rolling_bps"], 4),
                "winkler_ewma_bps": round(r["baselines"]["winkler_ewma_bps"], 4),
                "raw_dir_acc": round(m["raw"]["dir_acc"], 5),
                "served_direction_calls": m["served"]["dir_n"],
            }
    return out


def parse_dataset(spec):
    label, _, rest = spec.partition("=")
    directory, _, span = rest.partition("@")
    start, _, end = span.partition("/")
    return label, directory, start or None, end or None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=str(HERE / "checkpoints" / "lstm-1m-v3.pt"))
    p.add_argument("--compare", action="append", default=[], metavar="CHECKPOINT",
                   help="other checkpoints evaluated on the same rows (repeatable)")
    p.add_argument("--dataset", action="append", metavar="LABEL=DIR[@START[/END]]",
                   help="repeatable; default: test=<each folder of $CHRONOPRICE_DATA_DIR>@<val_end>")
    p.add_argument("--out-dir", help="default: eval/<model version>")
    p.add_argument("--threads", type=int, default=1, help="torch threads; 1 avoids OpenMP spin-waiting on a busy machine")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    models = [load_model(c) for c in [args.checkpoint] + args.compare]
    primary = models[0][1]["model_version"]
    out_dir = Path(args.out_dir or HERE / "eval" / primary)
    out_dir.mkdir(parents=True, exist_ok=True)
    params = online.Params()

    datasets = {}
    specs = [parse_dataset(s) for s in args.dataset] if args.dataset else [
        ("test", d, models[0][1]["val_end"], None) for d in data_dirs()]
    for label, directory, start, end in specs:
        span = f"targets {start or 'start'} .. {end or 'end'}"
        source, results = datasets.get(label, ([], {}))
        source.append(f"{Path(directory).name}/, {span}")
        results.update(evaluate_dataset(models, label, [directory], start, end, params, out_dir))
        datasets[label] = (source, results)
    datasets = {label: ("; ".join(source), results) for label, (source, results) in datasets.items()}

    report = markdown(datasets, primary)
    (out_dir / "report.md").write_text(f"# Evaluation of {primary}\n\nOnline layer parameters: {params}\n\n{report}")
    (out_dir / "metrics.json").write_text(json.dumps(
        {"model_version": primary, "online_params": params.__dict__, "summary": summary(datasets, primary),
         "datasets": {label: {"source": s, "series": r} for label, (s, r) in datasets.items()}}, indent=2) + "\n")
    print(report)


if __name__ == "__main__":
    main()
