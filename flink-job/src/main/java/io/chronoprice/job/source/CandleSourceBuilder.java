package io.chronoprice.job.source;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.common.series.SeriesId;
import io.chronoprice.job.source.exchange.CoinbaseCandles;
import io.chronoprice.job.source.exchange.ExchangeClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * Builds a {@link CandleSource}. Exchange, base URI and symbols are required; everything else has a default from
 * {@link CandleSourceOptions}.
 *
 * <pre>{@code
 * CandleSource source = CandleSource.builder()
 *         .exchange("binance")
 *         .baseUri("http://localhost:8090")
 *         .symbols("BTCUSDT", "ETHUSDT")
 *         .interval("1m")
 *         .build();
 * }</pre>
 */
public final class CandleSourceBuilder {
    private final Configuration config = new Configuration();

    CandleSourceBuilder() {}

    /** {@code binance} or {@code coinbase}: the wire format, and the exchange field of every candle. */
    public CandleSourceBuilder exchange(String exchange) {
        config.set(CandleSourceOptions.EXCHANGE, checkNotNull(exchange, "exchange"));
        return this;
    }

    /** The REST base URI, e.g. {@code https://api.binance.com} or the replay exchange's {@code http://host:port}. */
    public CandleSourceBuilder baseUri(String baseUri) {
        config.set(CandleSourceOptions.BASE_URI, checkNotNull(baseUri, "baseUri"));
        return this;
    }

    public CandleSourceBuilder baseUri(URI baseUri) {
        return baseUri(checkNotNull(baseUri, "baseUri").toString());
    }

    /** Symbols in the exchange's own naming; one split each. */
    public CandleSourceBuilder symbols(String... symbols) {
        return symbols(Arrays.asList(checkNotNull(symbols, "symbols")));
    }

    public CandleSourceBuilder symbols(List<String> symbols) {
        config.set(CandleSourceOptions.SYMBOLS, List.copyOf(checkNotNull(symbols, "symbols")));
        return this;
    }

    /** A Binance interval code: 1m, 5m, 15m, 1h, 6h or 1d (default 1m). */
    public CandleSourceBuilder interval(String interval) {
        config.set(CandleSourceOptions.INTERVAL, checkNotNull(interval, "interval"));
        return this;
    }

    /** Closed candles to read before the current one on a first start (default 70). */
    public CandleSourceBuilder backfillCandles(int candles) {
        config.set(CandleSourceOptions.BACKFILL_CANDLES, candles);
        return this;
    }

    /** Reads from the candle opening at this time on a first start instead of backfilling (for backtests). */
    public CandleSourceBuilder startAt(Instant openTime) {
        config.set(
                CandleSourceOptions.START_AT, checkNotNull(openTime, "openTime").toEpochMilli());
        return this;
    }

    /** How long after a candle's close, in exchange time, it is polled (default 200 ms). */
    public CandleSourceBuilder closeLag(Duration lag) {
        config.set(CandleSourceOptions.CLOSE_LAG, checkNotNull(lag, "lag"));
        return this;
    }

    public CandleSourceBuilder requestTimeout(Duration timeout) {
        config.set(CandleSourceOptions.REQUEST_TIMEOUT, checkNotNull(timeout, "timeout"));
        return this;
    }

    /** Shortest wall-clock time between two polls of an up-to-date series (default 100 ms). */
    public CandleSourceBuilder minPollDelay(Duration delay) {
        config.set(CandleSourceOptions.MIN_POLL_DELAY, checkNotNull(delay, "delay"));
        return this;
    }

    /** Longest single wait of the split reader (default 1 s). */
    public CandleSourceBuilder maxWait(Duration maxWait) {
        config.set(CandleSourceOptions.MAX_WAIT, checkNotNull(maxWait, "maxWait"));
        return this;
    }

    /** Exponential backoff with jitter for transient failures, from {@code initial} doubling up to {@code max}. */
    public CandleSourceBuilder retryBackoff(Duration initial, Duration max) {
        config.set(CandleSourceOptions.RETRY_INITIAL_BACKOFF, checkNotNull(initial, "initial"));
        config.set(CandleSourceOptions.RETRY_MAX_BACKOFF, checkNotNull(max, "max"));
        return this;
    }

    /** Pause until the next minute once Binance's used weight exceeds this (default 1000 of 1200). */
    public CandleSourceBuilder usedWeightLimit(int limit) {
        config.set(CandleSourceOptions.USED_WEIGHT_LIMIT, limit);
        return this;
    }

    /** Bounded: each series ends with the last candle closed at the exchange's server time when the job starts. */
    public CandleSourceBuilder boundedAtServerTime() {
        config.set(CandleSourceOptions.BOUNDED_AT_SERVER_TIME, true);
        return this;
    }

    /** Bounded: each series ends with the last candle closed at or before {@code endTime} (exchange time). */
    public CandleSourceBuilder until(Instant endTime) {
        return until(checkNotNull(endTime, "endTime").toEpochMilli());
    }

    /** {@link #until(Instant)} in epoch milliseconds. */
    public CandleSourceBuilder until(long endTimeMs) {
        config.set(CandleSourceOptions.END_AT, endTimeMs);
        return this;
    }

    /** Checks the settings and builds the source. */
    public CandleSource build() {
        String exchange = config.get(CandleSourceOptions.EXCHANGE);
        checkState(exchange != null, "No exchange set: call exchange(\"binance\") or exchange(\"coinbase\").");
        checkArgument(
                ExchangeClient.isSupported(exchange), "Unknown exchange '%s': expected binance or coinbase.", exchange);

        String baseUri = config.get(CandleSourceOptions.BASE_URI);
        checkState(baseUri != null, "No base URI set: call baseUri(...) with the exchange's REST base URI.");
        URI uri;
        try {
            uri = URI.create(baseUri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Base URI '" + baseUri + "' is not a valid URI: " + e.getMessage(), e);
        }
        checkArgument(
                ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
                "Base URI '%s' must be an absolute http(s) URI with a host.",
                baseUri);

        List<String> symbols = config.get(CandleSourceOptions.SYMBOLS);
        checkState(symbols != null && !symbols.isEmpty(), "No symbols set: call symbols(\"BTCUSDT\", ...).");
        CandleInterval interval =
                CandleInterval.fromCode(config.get(CandleSourceOptions.INTERVAL)); // lists valid codes
        checkArgument(
                !exchange.equals(CoinbaseCandles.EXCHANGE_ID) || interval.isCoinbaseGranularity(),
                "Coinbase has no %s candles: use 1m, 5m, 15m, 1h, 6h or 1d.",
                interval.code());
        for (String symbol : symbols) {
            // The one naming rule of every series the job writes, so that every reader accepts what it wrote.
            new SeriesId(exchange, symbol, interval.code());
        }
        checkArgument(new HashSet<>(symbols).size() == symbols.size(), "Symbols %s contain a duplicate.", symbols);

        checkArgument(
                config.get(CandleSourceOptions.BACKFILL_CANDLES) >= 0,
                "backfillCandles must be >= 0, was %s.",
                config.get(CandleSourceOptions.BACKFILL_CANDLES));
        config.getOptional(CandleSourceOptions.START_AT)
                .ifPresent(start -> checkArgument(start >= 0, "startAt must not be before the epoch, was %s.", start));
        checkNotNegative(CandleSourceOptions.CLOSE_LAG.key(), config.get(CandleSourceOptions.CLOSE_LAG));
        checkPositive(CandleSourceOptions.REQUEST_TIMEOUT.key(), config.get(CandleSourceOptions.REQUEST_TIMEOUT));
        checkPositive(CandleSourceOptions.MIN_POLL_DELAY.key(), config.get(CandleSourceOptions.MIN_POLL_DELAY));
        checkPositive(CandleSourceOptions.MAX_WAIT.key(), config.get(CandleSourceOptions.MAX_WAIT));
        Duration initial = config.get(CandleSourceOptions.RETRY_INITIAL_BACKOFF);
        Duration max = config.get(CandleSourceOptions.RETRY_MAX_BACKOFF);
        checkPositive(CandleSourceOptions.RETRY_INITIAL_BACKOFF.key(), initial);
        checkArgument(
                max.compareTo(initial) >= 0, "Retry max backoff %s must not be below the initial %s.", max, initial);
        checkArgument(
                config.get(CandleSourceOptions.USED_WEIGHT_LIMIT) > 0,
                "usedWeightLimit must be > 0, was %s.",
                config.get(CandleSourceOptions.USED_WEIGHT_LIMIT));

        boolean atServerTime = config.get(CandleSourceOptions.BOUNDED_AT_SERVER_TIME);
        checkState(
                !(atServerTime && config.getOptional(CandleSourceOptions.END_AT).isPresent()),
                "Choose one bound: boundedAtServerTime() or until(endTime), not both.");
        config.getOptional(CandleSourceOptions.END_AT).ifPresent(end -> config.getOptional(CandleSourceOptions.START_AT)
                .ifPresent(start -> checkArgument(
                        end > start,
                        "until(%s) must be after startAt(%s).",
                        Instant.ofEpochMilli(end),
                        Instant.ofEpochMilli(start))));
        return new CandleSource(new Configuration(config));
    }

    private static void checkPositive(String key, Duration value) {
        checkArgument(!value.isNegative() && !value.isZero(), "%s must be positive, was %s.", key, value);
    }

    private static void checkNotNegative(String key, Duration value) {
        checkArgument(!value.isNegative(), "%s must not be negative, was %s.", key, value);
    }
}
