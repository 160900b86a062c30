package io.chronoprice.job.source.exchange;

import java.io.IOException;

/**
 * A request the exchange refused for a reason that retrying cannot fix (an unknown symbol, a bad parameter): a
 * configuration error, so it fails the job with the exchange's own message.
 */
public class ExchangeException extends IOException {
    private static final long serialVersionUID = 1L;

    public ExchangeException(String message) {
        super(message);
    }

    public ExchangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
