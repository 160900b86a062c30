package io.chronoprice.job.source.exchange;

/** A transient failure (5xx, timeout, connection error, unparseable body): the request is retried with backoff. */
public class RetryableExchangeException extends ExchangeException {
    private static final long serialVersionUID = 1L;

    public RetryableExchangeException(String message) {
        super(message);
    }

    public RetryableExchangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
