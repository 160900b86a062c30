"""The online layers the streaming job puts between the model and the served forecast.

The Java twin is io.chronoprice.job.serving.OnlineServing; fixtures/online-serving.json (written by
make_fixtures.py) holds a real sequence of raw forecasts and outcomes with this code's outputs, and
the Java tests reproduce them. Both layers keep a few numbers of state per series and update when
the target candle of the previous prediction arrives.

Units: everything is a log-return relative to the window's last close; losses are divided by the
window's volatility scale (features.window_scale), so every minute counts alike in quiet and wild
markets.

Skill guard (the point forecast). The served median is m = w * q50: w = 0 is the naive forecast
"next close = last close", w = 1 the model's median. The weight comes from the model's discounted
record against naive:

    x_t = (|y_t| - |y_t - q50_t|) / scale_t              (> 0 when the model beat naive)
    D  <- beta * (D + x_t)                                (beta = 1 - 1/horizon)
    w   = max(0, tanh(eta * (D - threshold) / 2))

so the model gets weight only after it has beaten naive by `threshold` scale units more than it
lost to it, recently. Regret bound (absolute loss is convex, and G(D) = integral of w over D is
convex with G'' <= eta / 2): for any sequence of outcomes,

    sum_t |y_t - m_t| / scale_t  <=  sum_t |y_t| / scale_t + (eta / 4) * sum_t (q50_t / scale_t)^2

where only minutes with D above the threshold count in the last sum. A model with no skill keeps D
below the threshold and the served forecast is naive exactly.

Interval calibration: a two-sided online quantile tracker in log-width (adaptive conformal
inference, Gibbs and Candes 2021, applied to each tail). The served interval is centred on the
served median with the model's half-widths scaled:

    lower = m - exp(theta_lo) * (q50 - q10),   upper = m + exp(theta_hi) * (q90 - q50)
    theta_lo <- theta_lo + gamma * (1[y < lower] - 0.1)
    theta_hi <- theta_hi + gamma * (1[y > upper] - 0.1)

Each tail's long-run miss rate then stays within (max |theta| excursion) / (gamma * T) of 10 %,
whatever the market does, so the interval covers 80 % over any long enough stretch.
"""
import math
from dataclasses import dataclass

TAIL = 0.1


@dataclass(frozen=True)
class Params:
    gamma: float = 0.005
    eta: float = 1.0
    horizon: float = 1440.0
    threshold: float = 4.0

    @property
    def beta(self):
        return 1.0 - 1.0 / self.horizon


@dataclass
class State:
    theta_lo: float = 0.0
    theta_hi: float = 0.0
    evidence: float = 0.0


def guard_weight(state, params):
    return max(0.0, math.tanh(params.eta * (state.evidence - params.threshold) / 2))


def serve(q10, q50, q90, state, params):
    """Served (lower, median, upper) log-returns and the guard weight, from the raw model quantiles."""
    w = guard_weight(state, params)
    m = w * q50
    return m - math.exp(state.theta_lo) * (q50 - q10), m, m + math.exp(state.theta_hi) * (q90 - q50), w


def update(state, params, q50, scale, served_lower, served_upper, y):
    """Learns from the outcome y (actual log-return) of a forecast served from this state."""
    if scale > 0:
        x = (abs(y) - abs(y - q50)) / scale
        state.evidence = params.beta * (state.evidence + x)
    state.theta_lo += params.gamma * ((1.0 if y < served_lower else 0.0) - TAIL)
    state.theta_hi += params.gamma * ((1.0 if y > served_upper else 0.0) - TAIL)


def run(q, scale, y, consecutive, params, state=None):
    """Serves a sequence of one series; consecutive[i] says forecast i-1's outcome is y[i-1] (no gap).

    q: [T, 3] raw log-return quantiles, scale: [T], y: [T] actual log-returns (NaN = not yet known).
    Returns served lower, median, upper and the guard weight per forecast, as lists.
    """
    state = state or State()
    out = []
    for i in range(len(y)):
        if i > 0 and consecutive[i]:
            lo, _, hi, _ = out[-1]
            update(state, params, q[i - 1][1], scale[i - 1], lo, hi, y[i - 1])
        out.append(serve(q[i][0], q[i][1], q[i][2], state, params))
    return out, state
