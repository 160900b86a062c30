"""Training smoke test (the default settings, model v3): a tiny slice, two short epochs, export, then run the ONNX graph.

Keeps train.py / export.py from rotting; full training is offline (see README).
Uses only models/testdata, never the full candle set.
"""
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch

import export
import train
from features import FEATURE_NAMES_V2 as FEATURE_NAMES
from tests import onnx_numpy

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"


class TrainExportSmokeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        out = Path(cls.tmp.name)
        checkpoint = train.main([
            "--data-dir", str(TESTDATA), "--symbols", "BTCUSDT,SOLUSDT",
            "--train-end", "2021-05-01", "--val-end", "2021-05-01T06:00",
            "--epochs", "2", "--samples-per-epoch", "512", "--val-samples", "256", "--scaling-samples", "512",
            "--batch-size", "128", "--hidden", "16", "--threads", "1", "--out", str(out / "smoke.pt"),
        ])
        cls.onnx_path = export.export(checkpoint, out, eval_path=None)
        cls.proto = onnx.load(str(cls.onnx_path))
        cls.model, cls.meta = export.load_model(checkpoint)
        cls.x = torch.from_numpy(np.random.default_rng(0).normal(0, 1, (5, 60, len(FEATURE_NAMES))).astype(np.float32))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_checker_and_io_contract(self):
        onnx.checker.check_model(self.proto, full_check=True)
        self.assertTrue(13 <= self.proto.opset_import[0].version <= 17)
        (inp,), (out,) = self.proto.graph.input, self.proto.graph.output
        self.assertEqual(inp.name, "features")
        self.assertEqual(out.name, "quantiles")
        self.assertEqual([d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim], ["batch", 60, len(FEATURE_NAMES)])
        self.assertEqual([d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim], ["batch", 3])

    def test_metadata_keys(self):
        props = {p.key: p.value for p in self.proto.metadata_props}
        self.assertEqual(set(props), set(export.METADATA_KEYS) - {"eval_metrics"})
        self.assertEqual(props["window_size"], "60")
        self.assertEqual(props["feature_names"], ",".join(FEATURE_NAMES))
        self.assertEqual(props["quantiles"], "0.1,0.5,0.9")
        self.assertEqual(props["training_data_range"], "2021-04-30T12:00Z/2021-05-01T00:00Z")
        self.assertEqual((props["feature_spec_version"], props["output_units"]), ("2", "window_scale"))

    def test_onnx_graph_matches_pytorch(self):
        with torch.no_grad():
            expected = self.model(self.x).numpy()
        actual = onnx_numpy.run(self.proto, {"features": self.x.numpy()})["quantiles"]
        np.testing.assert_allclose(actual, expected, atol=1e-6, rtol=0)

    def test_quantiles_ordered(self):
        with torch.no_grad():
            q = self.model(self.x * 50).numpy()
        self.assertTrue(np.all(q[:, 0] <= q[:, 1]) and np.all(q[:, 1] <= q[:, 2]))


if __name__ == "__main__":
    unittest.main()
