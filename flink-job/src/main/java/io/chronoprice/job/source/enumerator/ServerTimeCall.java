package io.chronoprice.job.source.enumerator;

import io.chronoprice.job.source.Backoff;
import io.chronoprice.job.source.CandleSourceOptions;
import io.chronoprice.job.source.exchange.ExchangeClient;
import io.chronoprice.job.source.exchange.RateLimitedException;
import io.chronoprice.job.source.exchange.RetryableExchangeException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the exchange's server time once, for the enumerator to bound a {@code boundedAtServerTime()} source. Runs
 * in the coordinator's worker thread via {@code callAsync}; retries transient failures a bounded number of times so
 * that an unreachable exchange fails the job at start with a clear cause rather than hanging it.
 */
public final class ServerTimeCall implements Callable<Long> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTimeCall.class);

    static final int MAX_ATTEMPTS = 8;

    private final Configuration config;

    public ServerTimeCall(Configuration config) {
        this.config = config;
    }

    @Override
    public Long call() throws IOException, InterruptedException {
        Backoff backoff = new Backoff(
                config.get(CandleSourceOptions.RETRY_INITIAL_BACKOFF),
                config.get(CandleSourceOptions.RETRY_MAX_BACKOFF));
        try (ExchangeClient client = ExchangeClient.create(
                config.get(CandleSourceOptions.EXCHANGE),
                URI.create(config.get(CandleSourceOptions.BASE_URI)),
                config.get(CandleSourceOptions.REQUEST_TIMEOUT))) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return client.serverTimeMs();
                } catch (RetryableExchangeException e) {
                    if (attempt >= MAX_ATTEMPTS) {
                        throw e;
                    }
                    Duration wait =
                            e instanceof RateLimitedException limited ? limited.retryAfter() : backoff.delay(attempt);
                    LOG.warn(
                            "Reading the server time failed (attempt {}), retrying in {}: {}",
                            attempt,
                            wait,
                            e.getMessage());
                    Thread.sleep(wait.toMillis());
                }
            }
        }
    }
}
