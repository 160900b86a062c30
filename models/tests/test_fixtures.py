"""The parity fixtures pin features.py and online.py: changing either without regenerating the fixtures
(make_fixtures.py) fails here."""
import json
import math
import unittest
from pathlib import Path

import numpy as np

import online
from data import INTERVAL_MS
from features import SPECS, features_for, window_is_valid

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VERSIONS = ("lstm-1m-v1", "lstm-1m-v2", "lstm-1m-v3")


class FixtureFeaturesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixtures = {v: json.loads((FIXTURES / f"parity-{v}.json").read_text()) for v in VERSIONS}

    def test_header(self):
        for version, f in self.fixtures.items():
            with self.subTest(version):
                self.assertEqual(f["model_version"], version)
                self.assertEqual(tuple(f["feature_names"]), SPECS[f["feature_spec_version"]]["names"])
                self.assertEqual(f["quantiles"], [0.1, 0.5, 0.9])
                self.assertGreaterEqual(len(f["windows"]), 24)

    def test_features_and_scale_recompute(self):
        for version, f in self.fixtures.items():
            n, spec = f["window_size"], f["feature_spec_version"]
            for w in f["windows"]:
                candles = np.array(w["candles"], dtype=np.float64)
                self.assertEqual(candles.shape, (n, 6))
                t, o, h, l, c, v = candles.T
                self.assertTrue(window_is_valid(t.astype(np.int64), o, h, l, c, INTERVAL_MS[w["interval"]]))
                features, scale = features_for(spec, t.astype(np.int64), o, h, l, c, v)
                np.testing.assert_allclose(features, np.array(w["features"]), atol=1e-9, rtol=0,
                                           err_msg=f"{version} {w['symbol']} window ending {int(t[-1])}")
                self.assertAlmostEqual(float(scale), w.get("scale", 1.0), places=15)

    def test_outputs_shape_and_order(self):
        for f in self.fixtures.values():
            for w in f["windows"]:
                lo, mid, hi = w["outputs"]
                self.assertTrue(lo <= mid <= hi)

    def test_spec_2_windows_span_regimes_and_the_calendar(self):
        for version in ("lstm-1m-v2", "lstm-1m-v3"):
            with self.subTest(version):
                self.assert_spans_regimes(self.fixtures[version]["windows"])

    def assert_spans_regimes(self, windows):
        years = {int(np.datetime64(w["candles"][-1][0], "ms").astype("datetime64[Y]").astype(int)) + 1970
                 for w in windows}
        self.assertEqual(years, {2021, 2025})
        scales = [w["scale"] for w in windows]
        self.assertGreater(max(scales) / min(scales), 5, "quiet and wild windows both present")


class OnlineFixtureTest(unittest.TestCase):
    def test_online_layers_reproduce_the_fixture(self):
        fixture = json.loads((FIXTURES / "online-serving.json").read_text())
        for seq in fixture["sequences"]:
            steps = seq["steps"]
            q = [s["raw"] for s in steps]
            scale = [s["scale"] for s in steps]
            y = [math.log(s["actual_close"] / s["last_close"]) for s in steps]
            consecutive = [False] + [steps[i]["window_end_open_time"] == steps[i - 1]["target_open_time"]
                                     for i in range(1, len(steps))]
            served, _ = online.run(q, scale, y, consecutive, online.Params(**seq["params"]))
            np.testing.assert_allclose(np.array(served), np.array([s["served"] for s in steps]), atol=1e-12, rtol=0)

    def test_fixture_covers_a_gap_and_a_moving_guard(self):
        fixture = json.loads((FIXTURES / "online-serving.json").read_text())
        gaps = [sum(s["window_end_open_time"] != p["target_open_time"] for p, s in zip(seq["steps"], seq["steps"][1:]))
                for seq in fixture["sequences"]]
        weights = [{s["served"][3] > 0 for s in seq["steps"]} for seq in fixture["sequences"]]
        self.assertGreater(sum(gaps), 0, "a forecast whose target candle never came")
        self.assertIn({True, False}, weights, "a sequence where the guard weight moves")


if __name__ == "__main__":
    unittest.main()
