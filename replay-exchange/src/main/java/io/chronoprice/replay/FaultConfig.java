package io.chronoprice.replay;

/**
 * Which faults the exchange injects, for reliability tests of its clients. All off by default ({@link #NONE}).
 *
 * <p>Each request gets at most one of the outcome faults: a 5xx status ({@code serverErrorFraction}), a 429 with a
 * {@code Retry-After} header ({@code tooManyRequestsFraction}), a complete 200 response whose body is not valid JSON
 * ({@code malformedBodyFraction}) or a body cut off mid-stream ({@code truncatedBodyFraction}); so these fractions
 * must add up to at most 1. Independently, a fraction {@code delayFraction} of requests is answered {@code
 * delayMillis} late. {@code seed} makes the choice of faulty requests reproducible.
 */
public record FaultConfig(
        double serverErrorFraction,
        double tooManyRequestsFraction,
        int retryAfterSeconds,
        double malformedBodyFraction,
        double truncatedBodyFraction,
        long delayMillis,
        double delayFraction,
        long seed) {

    public static final FaultConfig NONE = new FaultConfig(0, 0, 1, 0, 0, 0, 1, 1);

    public FaultConfig {
        requireFraction("serverErrorFraction", serverErrorFraction);
        requireFraction("tooManyRequestsFraction", tooManyRequestsFraction);
        requireFraction("malformedBodyFraction", malformedBodyFraction);
        requireFraction("truncatedBodyFraction", truncatedBodyFraction);
        requireFraction("delayFraction", delayFraction);
        if (serverErrorFraction + tooManyRequestsFraction + malformedBodyFraction + truncatedBodyFraction
                > 1.0 + 1e-9) {
            throw new IllegalArgumentException(
                    "the 5xx, 429, malformed and truncated fractions must add up to at most 1");
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0, was " + retryAfterSeconds);
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must be >= 0, was " + delayMillis);
        }
    }

    public FaultConfig withServerErrors(double fraction) {
        return new FaultConfig(
                fraction,
                tooManyRequestsFraction,
                retryAfterSeconds,
                malformedBodyFraction,
                truncatedBodyFraction,
                delayMillis,
                delayFraction,
                seed);
    }

    public FaultConfig withTooManyRequests(double fraction, int retryAfterSeconds) {
        return new FaultConfig(
                serverErrorFraction,
                fraction,
                retryAfterSeconds,
                malformedBodyFraction,
                truncatedBodyFraction,
                delayMillis,
                delayFraction,
                seed);
    }

    public FaultConfig withMalformedBodies(double fraction) {
        return new FaultConfig(
                serverErrorFraction,
                tooManyRequestsFraction,
                retryAfterSeconds,
                fraction,
                truncatedBodyFraction,
                delayMillis,
                delayFraction,
                seed);
    }

    public FaultConfig withTruncatedBodies(double fraction) {
        return new FaultConfig(
                serverErrorFraction,
                tooManyRequestsFraction,
                retryAfterSeconds,
                malformedBodyFraction,
                fraction,
                delayMillis,
                delayFraction,
                seed);
    }

    public FaultConfig withDelay(long millis, double fraction) {
        return new FaultConfig(
                serverErrorFraction,
                tooManyRequestsFraction,
                retryAfterSeconds,
                malformedBodyFraction,
                truncatedBodyFraction,
                millis,
                fraction,
                seed);
    }

    public FaultConfig withSeed(long seed) {
        return new FaultConfig(
                serverErrorFraction,
                tooManyRequestsFraction,
                retryAfterSeconds,
                malformedBodyFraction,
                truncatedBodyFraction,
                delayMillis,
                delayFraction,
                seed);
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within [0, 1], was " + value);
        }
    }
}
