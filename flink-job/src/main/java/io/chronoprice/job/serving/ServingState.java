package io.chronoprice.job.serving;

/**
 * What the online layers remember per series and model version, kept in Flink keyed state: the two
 * calibration offsets, the guard's evidence, and the forecast still waiting for its target candle. A POJO
 * (public fields, no-argument constructor) so that Flink serialises it without Kryo and can evolve it.
 */
public class ServingState {

    /** Log of the factor on the model's lower half-width (0: the model's own width). */
    public double thetaLower;

    /** Log of the factor on the model's upper half-width. */
    public double thetaUpper;

    /** Discounted advantage of the model over naive, in scale units of absolute loss. */
    public double evidence;

    /** Outcomes learned from. */
    public long resolved;

    /** Forecasts whose target candle never came (an exchange gap), dropped unlearned. */
    public long unresolved;

    /** Open time of the candle the pending forecast is for; {@link Long#MIN_VALUE} when none is pending. */
    public long pendingTargetOpenTimeMs = Long.MIN_VALUE;

    public double pendingLastClose;
    public double pendingRawMedian;
    public double pendingScale;
    public double pendingLower;
    public double pendingUpper;

    public ServingState() {}

    boolean hasPending() {
        return pendingTargetOpenTimeMs != Long.MIN_VALUE;
    }
}
