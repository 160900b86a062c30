package io.chronoprice.replay;

import java.util.Random;

/**
 * Decides, request by request, which fault of the current {@link FaultConfig} to inject. The configuration can be
 * replaced while the server runs (a test can switch faults on and off); replacing it restarts the seeded random
 * sequence, so a test that configures a seed and then sends requests one at a time sees the same faults every run.
 */
public final class Faults {
    /** What to do to one response. */
    public enum Kind {
        NONE,
        SERVER_ERROR,
        TOO_MANY_REQUESTS,
        MALFORMED_BODY,
        TRUNCATED_BODY
    }

    /**
     * The decision for one request. {@code status} replaces the handler's status (5xx for SERVER_ERROR, 429 for
     * TOO_MANY_REQUESTS); it is 0 when the handler's own status is kept.
     */
    public record Decision(Kind kind, int status, long delayMillis, int retryAfterSeconds) {}

    private static final int[] SERVER_ERROR_STATUSES = {500, 502, 503};

    private FaultConfig config;
    private Random random;

    public Faults(FaultConfig config) {
        configure(config);
    }

    public synchronized void configure(FaultConfig newConfig) {
        this.config = newConfig;
        this.random = new Random(newConfig.seed());
    }

    /** The configuration in force. */
    public synchronized FaultConfig config() {
        return config;
    }

    public synchronized Decision next() {
        // Always draw the same three numbers so that one knob's setting does not shift the sequence of another.
        double outcome = random.nextDouble();
        double delay = random.nextDouble();
        int status = SERVER_ERROR_STATUSES[random.nextInt(SERVER_ERROR_STATUSES.length)];
        long delayMillis = config.delayMillis() > 0 && delay < config.delayFraction() ? config.delayMillis() : 0;

        double bound = config.serverErrorFraction();
        if (outcome < bound) {
            return new Decision(Kind.SERVER_ERROR, status, delayMillis, 0);
        }
        bound += config.tooManyRequestsFraction();
        if (outcome < bound) {
            return new Decision(Kind.TOO_MANY_REQUESTS, 429, delayMillis, config.retryAfterSeconds());
        }
        bound += config.malformedBodyFraction();
        if (outcome < bound) {
            return new Decision(Kind.MALFORMED_BODY, 0, delayMillis, 0);
        }
        bound += config.truncatedBodyFraction();
        if (outcome < bound) {
            return new Decision(Kind.TRUNCATED_BODY, 0, delayMillis, 0);
        }
        return new Decision(Kind.NONE, 0, delayMillis, 0);
    }
}
