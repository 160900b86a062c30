"""Properties of the online layers (online.py) that the product promises, on synthetic sequences."""
import math
import unittest

import numpy as np

import online


def serve_all(q, scale, y, params=online.Params()):
    served, state = online.run(q, scale, y, [False] + [True] * (len(y) - 1), params)
    return np.array(served), state


class OnlineLayersTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(3)
        self.n = 20_000
        self.sigma = np.full(self.n, 1e-3)
        self.y = rng.standard_t(4, self.n) * self.sigma / math.sqrt(2)  # fat tails, std = sigma
        self.rng = rng

    def quantiles(self, median, half_width):
        return np.stack([median - half_width, median, median + half_width], axis=1).tolist()

    def test_noise_median_serves_naive_exactly(self):
        noise = self.rng.normal(0, 1, self.n) * self.sigma
        served, _ = serve_all(self.quantiles(noise, 1.2816 * self.sigma), self.sigma.tolist(), self.y.tolist())
        self.assertTrue(np.all(served[:, 3] == 0))
        self.assertTrue(np.all(served[:, 1] == 0))

    def test_skilled_median_earns_weight_and_beats_naive(self):
        informed = 0.5 * self.y + 0.1 * self.rng.normal(0, 1, self.n) * self.sigma
        served, _ = serve_all(self.quantiles(informed, 1.2816 * self.sigma), self.sigma.tolist(), self.y.tolist())
        self.assertGreater(served[self.n // 2:, 3].mean(), 0.9)
        self.assertLess(np.mean(np.abs(self.y - served[:, 1])), 0.7 * np.mean(np.abs(self.y)))

    def test_interval_twice_too_wide_is_narrowed_to_80_percent(self):
        served, state = serve_all(self.quantiles(np.zeros(self.n), 2.5 * self.sigma), self.sigma.tolist(),
                                  self.y.tolist())
        covered = (served[:, 0] <= self.y) & (self.y <= served[:, 2])
        self.assertAlmostEqual(covered[self.n // 2:].mean(), 0.8, delta=0.02)
        self.assertLess(state.theta_lo, 0)
        self.assertLess(state.theta_hi, 0)

    def test_regret_bound_holds_for_an_adversarial_median(self):
        params = online.Params(threshold=0.0, eta=2.0)
        # A median that is right for a while, then wrong: the guard must not lose more than its bound.
        median = np.where(np.arange(self.n) < self.n // 2, 0.8 * self.y, -0.8 * self.y)
        served, _ = serve_all(self.quantiles(median, 1.2816 * self.sigma), self.sigma.tolist(), self.y.tolist(),
                              params)
        served_loss = np.sum(np.abs(self.y - served[:, 1]) / self.sigma)
        naive_loss = np.sum(np.abs(self.y) / self.sigma)
        bound = params.eta / 4 * np.sum((median / self.sigma) ** 2)
        self.assertLessEqual(served_loss, naive_loss + bound)


if __name__ == "__main__":
    unittest.main()
