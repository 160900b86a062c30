"""The committed model, its sha256, its card (.json), its checkpoint and the fixture agree."""
import hashlib
import json
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch

import export
from features import SPECS
from tests import onnx_numpy

MODELS = Path(__file__).resolve().parent.parent


class CommittedArtifactTest:
    """The checks every committed model gets; subclasses name the version."""

    VERSION = None
    SPEC = None

    @classmethod
    def setUpClass(cls):
        cls.onnx_path = MODELS / f"{cls.VERSION}.onnx"
        cls.proto = onnx.load(str(cls.onnx_path))
        cls.props = {p.key: p.value for p in cls.proto.metadata_props}
        cls.card = json.loads((MODELS / f"{cls.VERSION}.json").read_text())
        cls.fixture = json.loads((MODELS / "fixtures" / f"parity-{cls.VERSION}.json").read_text())
        cls.sha = hashlib.sha256(cls.onnx_path.read_bytes()).hexdigest()

    def test_sha256_file(self):
        self.assertEqual((MODELS / f"{self.VERSION}.onnx.sha256").read_text(), f"{self.sha}  {self.VERSION}.onnx\n")
        self.assertEqual(self.card["sha256"], self.sha)
        self.assertEqual(self.fixture["model_sha256"], self.sha)

    def test_size_and_checker(self):
        self.assertLess(self.onnx_path.stat().st_size, 1_000_000)
        onnx.checker.check_model(self.proto, full_check=True)

    def test_metadata(self):
        # v1 was exported before models said their output units (its outputs are log-returns).
        expected_keys = set(export.METADATA_KEYS) - ({"output_units"} if self.SPEC == "1" else set())
        self.assertEqual(set(self.props), expected_keys)
        self.assertEqual(self.props["model_version"], self.VERSION)
        self.assertEqual(self.props["window_size"], "60")
        self.assertEqual(self.props["feature_names"], ",".join(SPECS[self.SPEC]["names"]))
        self.assertEqual(self.props["quantiles"], "0.1,0.5,0.9")
        self.assertEqual(self.props["feature_spec_version"], self.SPEC)
        self.assertEqual(self.props.get("output_units", "log_return"), SPECS[self.SPEC]["output_units"])
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
        model, _ = export.load_model(MODELS / "checkpoints" / f"{self.VERSION}.pt")
        x = torch.tensor([w["features"] for w in self.fixture["windows"]], dtype=torch.float32)
        with torch.no_grad():
            actual = model(x).numpy()
        np.testing.assert_allclose(actual, [w["outputs"] for w in self.fixture["windows"]], atol=1e-6, rtol=0)


class V1ArtifactTest(CommittedArtifactTest, unittest.TestCase):
    VERSION = "lstm-1m-v1"
    SPEC = "1"


class V2ArtifactTest(CommittedArtifactTest, unittest.TestCase):
    VERSION = "lstm-1m-v2"
    SPEC = "2"


class V3ArtifactTest(CommittedArtifactTest, unittest.TestCase):
    VERSION = "lstm-1m-v3"
    SPEC = "2"


if __name__ == "__main__":
    unittest.main()
