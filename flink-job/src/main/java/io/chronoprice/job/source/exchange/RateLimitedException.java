package io.chronoprice.job.source.exchange;

import java.time.Duration;

/** The exchange asked the client to back off (429, or Binance's 418 IP ban) for {@link #retryAfter()}. */
public class RateLimitedException extends RetryableExchangeException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
