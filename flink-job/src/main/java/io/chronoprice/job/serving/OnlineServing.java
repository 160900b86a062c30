package io.chronoprice.job.serving;

import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.RawForecast;

/**
 * The online layers between the model and the served forecast: the Java twin of {@code models/online.py},
 * which documents them (and their regret and coverage bounds); the fixture {@code models/fixtures/online-serving.json}
 * proves both agree. All quantities are log-returns relative to the window's last close.
 *
 * <p>Skill guard: the served median is {@code w * q50}, where {@code w = max(0, tanh(eta (D - threshold) / 2))}
 * and D is the model's discounted advantage in absolute loss over the naive forecast, in units of the window's
 * volatility scale. With no skill, D stays below the threshold and the served forecast is the naive one.
 *
 * <p>Interval calibration: adaptive conformal inference on each tail; the model's half-widths around the served
 * median are scaled by {@code exp(theta)}, and each theta moves by {@code gamma (miss - 0.1)} per outcome, so that
 * each tail is missed 10 % of the time over any long enough stretch.
 */
public final class OnlineServing {

    /**
     * One step of a series: settles the pending forecast with this window's last close when this window ends on
     * its target candle (otherwise that candle never came, and the pending forecast is dropped unlearned), then
     * serves {@code raw} and keeps it pending. Mutates {@code state}.
     */
    public static Prediction next(ServingState state, RawForecast raw, ServingParams params) {
        if (state.hasPending()) {
            if (state.pendingTargetOpenTimeMs == raw.windowEndOpenTimeMs()) {
                double actual = Math.log(raw.lastClose() / state.pendingLastClose);
                update(
                        state,
                        params,
                        state.pendingRawMedian,
                        state.pendingScale,
                        state.pendingLower,
                        state.pendingUpper,
                        actual);
            } else {
                state.unresolved++;
            }
        }
        double[] served = serve(raw.q10(), raw.q50(), raw.q90(), state, params);
        Prediction prediction = Prediction.of(raw, served, served[3], state.thetaLower, state.thetaUpper);
        state.pendingTargetOpenTimeMs = raw.targetOpenTimeMs();
        state.pendingLastClose = raw.lastClose();
        state.pendingRawMedian = raw.q50();
        state.pendingScale = raw.scale();
        state.pendingLower = served[0];
        state.pendingUpper = served[2];
        return prediction;
    }

    static final double TAIL = 0.1;

    private OnlineServing() {}

    /** The served forecast of raw quantiles, in log-returns: lower, median, upper, and the guard weight. */
    public static double[] serve(double q10, double q50, double q90, ServingState state, ServingParams params) {
        double weight = weight(state, params);
        double median = weight * q50;
        return new double[] {
            median - Math.exp(state.thetaLower) * (q50 - q10),
            median,
            median + Math.exp(state.thetaUpper) * (q90 - q50),
            weight
        };
    }

    public static double weight(ServingState state, ServingParams params) {
        return Math.max(0.0, Math.tanh(params.eta() * (state.evidence - params.threshold()) / 2));
    }

    /**
     * Learns from the actual log-return {@code y} of a forecast served from this state, whose raw median was
     * {@code q50}, whose window scale was {@code scale} and whose served interval was [lower, upper].
     */
    public static void update(
            ServingState state, ServingParams params, double q50, double scale, double lower, double upper, double y) {
        if (scale > 0) {
            double advantage = (Math.abs(y) - Math.abs(y - q50)) / scale;
            state.evidence = params.beta() * (state.evidence + advantage);
        }
        state.thetaLower += params.gamma() * ((y < lower ? 1.0 : 0.0) - TAIL);
        state.thetaUpper += params.gamma() * ((y > upper ? 1.0 : 0.0) - TAIL);
        state.resolved++;
    }
}
