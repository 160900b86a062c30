package io.chronoprice.job.source;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The settings of a {@link CandleSource}, set through {@link CandleSourceBuilder} and read by its parts. */
public final class CandleSourceOptions {

    public static final ConfigOption<String> EXCHANGE = ConfigOptions.key("candle-source.exchange")
            .stringType()
            .noDefaultValue()
            .withDescription("Exchange id and wire format: binance or coinbase.");

    public static final ConfigOption<String> BASE_URI = ConfigOptions.key("candle-source.base-uri")
            .stringType()
            .noDefaultValue()
            .withDescription("REST base URI of the exchange (a real exchange or the replay exchange).");

    public static final ConfigOption<List<String>> SYMBOLS = ConfigOptions.key("candle-source.symbols")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Symbols in the exchange's own naming (BTCUSDT on Binance, BTC-USD on Coinbase).");

    public static final ConfigOption<String> INTERVAL = ConfigOptions.key("candle-source.interval")
            .stringType()
            .defaultValue("1m")
            .withDescription("Candle interval as a Binance code: 1m, 5m, 15m, 1h, 6h or 1d.");

    public static final ConfigOption<Integer> BACKFILL_CANDLES = ConfigOptions.key("candle-source.backfill-candles")
            .intType()
            .defaultValue(70)
            .withDescription("Closed candles to read before the current one on a first start without start time,"
                    + " so that the first full window is scored at once.");

    public static final ConfigOption<Long> START_AT = ConfigOptions.key("candle-source.start-at-ms")
            .longType()
            .noDefaultValue()
            .withDescription("Open time (epoch ms) of the first candle to read on a first start; replaces backfill.");

    public static final ConfigOption<Long> END_AT = ConfigOptions.key("candle-source.end-at-ms")
            .longType()
            .noDefaultValue()
            .withDescription("Makes the source bounded: each series ends once every candle closed at or before"
                    + " this exchange time (epoch ms) has been emitted.");

    public static final ConfigOption<Boolean> BOUNDED_AT_SERVER_TIME = ConfigOptions.key(
                    "candle-source.bounded-at-server-time")
            .booleanType()
            .defaultValue(false)
            .withDescription("Makes the source bounded at the exchange's server time when the job starts.");

    public static final ConfigOption<Duration> CLOSE_LAG = ConfigOptions.key("candle-source.close-lag")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("How long after a candle's close (in exchange time) it is polled. A candle the"
                    + " exchange has not closed yet is polled again shortly after (candle-source.min-poll-delay).");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("candle-source.request-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Timeout of one HTTP request; a timed-out request is retried.");

    public static final ConfigOption<Duration> MIN_POLL_DELAY = ConfigOptions.key("candle-source.min-poll-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("Shortest wall-clock time between two polls of a series that is up to date.");

    public static final ConfigOption<Duration> MAX_WAIT = ConfigOptions.key("candle-source.max-wait")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Longest single wait of the split reader, so that new splits and shutdown are"
                    + " handled promptly whatever the interval.");

    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF = ConfigOptions.key(
                    "candle-source.retry.initial-backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("Backoff after the first failed request of a series; doubles per failure, with jitter.");

    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF = ConfigOptions.key("candle-source.retry.max-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Cap of the retry backoff; transient failures are retried for as long as they last.");

    public static final ConfigOption<Integer> USED_WEIGHT_LIMIT = ConfigOptions.key("candle-source.used-weight-limit")
            .intType()
            .defaultValue(1000)
            .withDescription("Pause until the next minute once Binance's X-MBX-USED-WEIGHT-1m exceeds"
                    + " this (Binance allows 1200 per minute).");

    private CandleSourceOptions() {}
}
