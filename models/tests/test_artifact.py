"""The committed model, its sha256, its card (.json), its checkpoint and the fixture agree."""
import hashlib
import json
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch

import export
from features import FEATURE_NAMES, FEATURE_SPEC_VERSION
from tests import onnx_numpy

MODELS = Path(__file__).resolve().parent.parent
VERSION = "lstm-1m-v1"
ONNX_PATH = MODELS / f"{VERSION}.onnx"


class CommittedArtifactTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proto = onnx.load(str(ONNX_PATH))
        cls.props = {p.key: p.value for p in cls.proto.metadata_props}
        cls.card = json.loads((MODELS / f"{VERSION}.json").read_text())
        cls.fixture = json.loads((MODELS / "fixtures" / f"parity-{VERSION}.json").read_text())
        cls.sha = hashlib.sha256(ONNX_PATH.read_bytes()).hexdigest()

    def test_sha256_file(self):
        self.assertEqual((MODELS / f"{VERSION}.onnx.sha256").read_text(), f"{self.sha}  {VERSION}.onnx\n")
        self.assertEqual(self.card["sha256"], self.sha)
        self.assertEqual(self.fixture["model_sha256"], self.sha)

    def test_size_and_checker(self):
        self.assertLess(ONNX_PATH.stat().st_size, 1_000_000)
        onnx.checker.check_model(self.proto, full_check=True)

    def test_metadata(self):
        self.assertEqual(set(self.props), set(export.METADATA_KEYS))
        self.assertEqual(self.props["model_version"], VERSION)
        self.assertEqual(self.props["window_size"], "60")
        self.assertEqual(self.props["feature_names"], ",".join(FEATURE_NAMES))
        self.assertEqual(self.props["quantiles"], "0.1,0.5,0.9")
        self.assertEqual(self.props["feature_spec_version"], FEATURE_SPEC_VERSION)
        self.assertEqual(self.props["interval"], "1m")
        self.assertEqual((self.props["input_name"], self.props["output_name"]), ("features", "quantiles"))
        for key, value in self.props.items():
            card_value = self.card[key] if key != "eval_metrics" else self.card["evaluation"]["summary"]
            expected = value if isinstance(card_value, str) else json.loads(value)
            self.assertEqual(card_value, expected, key)

    def test_fixture_header_matches_model(self):
        f = self.fixture
        self.assertEqual(f["model_version"], self.props["model_version"])
        self.assertEqual(str(f["window_size"]), self.props["window_size"])
        self.assertEqual(",".join(f["feature_names"]), self.props["feature_names"])
        self.assertEqual(",".join(map(str, f["quantiles"])), self.props["quantiles"])
        self.assertEqual(f["feature_spec_version"], self.props["feature_spec_version"])

    def test_onnx_graph_reproduces_fixture_outputs(self):
        x = np.array([w["features"] for w in self.fixture["windows"]], dtype=np.float32)
        expected = np.array([w["outputs"] for w in self.fixture["windows"]])
        actual = onnx_numpy.run(self.proto, {"features": x})["quantiles"]
        np.testing.assert_allclose(actual, expected, atol=1e-6, rtol=0)

    def test_checkpoint_reproduces_fixture_outputs(self):
        model, _ = export.load_model(MODELS / "checkpoints" / f"{VERSION}.pt")
        x = torch.tensor([w["features"] for w in self.fixture["windows"]], dtype=torch.float32)
        with torch.no_grad():
            actual = model(x).numpy()
        np.testing.assert_allclose(actual, [w["outputs"] for w in self.fixture["windows"]], atol=1e-6, rtol=0)


if __name__ == "__main__":
    unittest.main()
