package io.chronoprice.job.serving;

import java.io.Serializable;

/**
 * Settings of the online layers between the model and the served forecast ({@link OnlineServing}); the same
 * defaults as {@code models/online.py}, chosen on the validation split.
 *
 * @param gamma step of the interval calibration, in log-width per outcome
 * @param eta learning rate of the skill guard
 * @param horizon the guard's memory in outcomes (discount 1 - 1/horizon)
 * @param threshold how far (in scale units of discounted absolute loss) the model must have beaten the naive
 *     forecast before it gets any weight
 */
public record ServingParams(double gamma, double eta, double horizon, double threshold) implements Serializable {

    public static final ServingParams DEFAULTS = new ServingParams(0.005, 1.0, 1440.0, 4.0);

    public ServingParams {
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("calibration step gamma must be in (0, 1), got " + gamma);
        }
        if (!(eta > 0)) {
            throw new IllegalArgumentException("guard learning rate eta must be > 0, got " + eta);
        }
        if (!(horizon >= 1)) {
            throw new IllegalArgumentException("guard horizon must be >= 1 outcome, got " + horizon);
        }
        if (!(threshold >= 0)) {
            throw new IllegalArgumentException("guard threshold must be >= 0, got " + threshold);
        }
    }

    double beta() {
        return 1.0 - 1.0 / horizon;
    }
}
