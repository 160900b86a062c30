package io.chronoprice.job.source.exchange;

/** A 200 response whose body could not be read as a whole; counted as a rejection and retried. */
public class MalformedResponseException extends RetryableExchangeException {
    private static final long serialVersionUID = 1L;

    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
