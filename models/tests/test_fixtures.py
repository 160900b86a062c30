"""The parity fixture pins features.py: changing the feature code without regenerating
fixtures/parity-lstm-1m-v1.json (make_fixtures.py) fails here."""
import json
import unittest
from pathlib import Path

import numpy as np

from features import FEATURE_NAMES, FEATURE_SPEC_VERSION, compute_features, window_is_valid
from data import INTERVAL_MS

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "parity-lstm-1m-v1.json"


class FixtureFeaturesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = json.loads(FIXTURE.read_text())

    def test_header(self):
        f = self.fixture
        self.assertEqual(f["feature_spec_version"], FEATURE_SPEC_VERSION)
        self.assertEqual(tuple(f["feature_names"]), FEATURE_NAMES)
        self.assertEqual(f["quantiles"], [0.1, 0.5, 0.9])
        self.assertGreaterEqual(len(f["windows"]), 24)

    def test_features_recompute(self):
        n = self.fixture["window_size"]
        for w in self.fixture["windows"]:
            candles = np.array(w["candles"], dtype=np.float64)
            self.assertEqual(candles.shape, (n, 6))
            t, o, h, l, c, v = candles.T
            self.assertTrue(window_is_valid(t.astype(np.int64), o, h, l, c, INTERVAL_MS[w["interval"]]))
            np.testing.assert_allclose(compute_features(o, h, l, c, v), np.array(w["features"]), atol=1e-9, rtol=0,
                                       err_msg=f"{w['symbol']} window ending {int(t[-1])}")

    def test_outputs_shape_and_order(self):
        for w in self.fixture["windows"]:
            lo, mid, hi = w["outputs"]
            self.assertTrue(lo <= mid <= hi)


if __name__ == "__main__":
    unittest.main()
