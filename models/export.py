"""Exports a training checkpoint to ONNX with the metadata the Java side checks.

Contract: opset 17, input `features` float32 [batch, N, F] (features.py output of the model's
spec, dynamic batch), output `quantiles` float32 [batch, 3] = quantiles (q0.1, q0.5, q0.9) of the
next log-return relative to the window's last close, in `output_units` (log_return, or window_scale:
multiply by the window's features.window_scale). Feature standardisation is inside the graph.
Writes <version>.onnx, <version>.onnx.sha256 (sha256sum format) and <version>.json
(metadata + evaluation table, loaded into the `models` table).

Verification: Debian has no onnxruntime for Python and onnx 1.12 has no onnx.reference,
so the export is checked with onnx.checker, a trace-vs-eager comparison (tests), and the
parity fixture whose torch outputs the Java side reproduces with ONNX Runtime to 1e-5.
"""
import argparse
import hashlib
import json
import warnings
from pathlib import Path

import onnx
import torch

from model import QuantileLSTM

HERE = Path(__file__).resolve().parent
OPSET = 17
INPUT_NAME = "features"
OUTPUT_NAME = "quantiles"
METADATA_KEYS = ("model_version", "window_size", "feature_names", "quantiles", "feature_spec_version", "interval",
                 "training_data_range", "created_at", "input_name", "output_name", "output_units", "scaling",
                 "eval_metrics")


def load_model(checkpoint_path):
    """Checkpoint -> (model in eval mode, meta dict)."""
    checkpoint = torch.load(checkpoint_path, map_location="cpu")
    model = QuantileLSTM(**checkpoint["config"])
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    return model, checkpoint["meta"]


def metadata(meta, eval_summary):
    """The ONNX metadata_props, all strings, keys as in METADATA_KEYS."""
    props = {
        "model_version": meta["model_version"],
        "window_size": str(meta["window_size"]),
        "feature_names": ",".join(meta["feature_names"]),
        "quantiles": ",".join(str(q) for q in meta["quantiles"]),
        "feature_spec_version": meta["feature_spec_version"],
        "interval": meta["interval"],
        "training_data_range": meta["training_data_range"],
        # The training time, not the export time, so re-exporting is byte-for-byte reproducible.
        "created_at": meta["trained_at"],
        "input_name": INPUT_NAME,
        "output_name": OUTPUT_NAME,
        "output_units": meta.get("output_units", "log_return"),
        "scaling": json.dumps(meta["scaling"], sort_keys=True),
    }
    if eval_summary is not None:
        props["eval_metrics"] = json.dumps(eval_summary, sort_keys=True)
    return props


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def export(checkpoint_path, out_dir, eval_path=None):
    """Writes the .onnx, .onnx.sha256 and .json for a checkpoint; returns the .onnx path."""
    model, meta = load_model(checkpoint_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = out_dir / f"{meta['model_version']}.onnx"
    example = torch.zeros(1, meta["window_size"], len(meta["feature_names"]))
    with warnings.catch_warnings():
        # torch 1.13 warns about LSTM tracing and prim::Constant shape inference; both are harmless here
        # and the graph is checked below and in tests (onnx_numpy) instead.
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, str(onnx_path), input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                          dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}}, opset_version=OPSET,
                          do_constant_folding=True)

    evaluation = json.loads(Path(eval_path).read_text()) if eval_path and Path(eval_path).exists() else None
    props = metadata(meta, evaluation["summary"] if evaluation else None)
    proto = onnx.load(str(onnx_path))
    onnx.helper.set_model_props(proto, props)
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, str(onnx_path))

    digest = sha256_of(onnx_path)
    Path(f"{onnx_path}.sha256").write_text(f"{digest}  {onnx_path.name}\n")
    card = {**props, "scaling": meta["scaling"], "onnx_file": onnx_path.name, "sha256": digest,
            "opset": OPSET, "architecture": {"type": "LSTM", **model.config, "head": "q50 -/+ softplus offsets"},
            "training": {k: meta[k] for k in ("symbols", "series", "train_end", "val_end", "best_epoch",
                                              "best_val_pinball", "train_command", "train_seconds") if k in meta}}
    card.pop("eval_metrics", None)
    if evaluation:
        card["evaluation"] = evaluation
    (out_dir / f"{meta['model_version']}.json").write_text(json.dumps(card, indent=2) + "\n")
    return onnx_path


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=str(HERE / "checkpoints" / "lstm-1m-v3.pt"))
    p.add_argument("--out-dir", default=str(HERE))
    p.add_argument("--eval", help="evaluate.py output to embed (default eval/<version>/metrics.json); "
                                  "skipped if the file does not exist")
    args = p.parse_args(argv)
    version = load_model(args.checkpoint)[1]["model_version"]
    path = export(args.checkpoint, args.out_dir, args.eval or HERE / "eval" / version / "metrics.json")
    print(f"wrote {path} ({path.stat().st_size} bytes) sha256 {sha256_of(path)}")


if __name__ == "__main__":
    main()
