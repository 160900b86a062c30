package io.chronoprice.job.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.CandleSourceOptions;
import io.chronoprice.job.source.DemoData;
import io.chronoprice.job.source.split.CandleSplit;
import io.chronoprice.replay.FaultConfig;
import io.chronoprice.replay.ReplayExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The split reader against the real replay exchange serving the demo candles over HTTP. */
class CandleSplitReaderITCase {
    private static final long MINUTE = 60_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ReplayExchange exchange;
    private CandleSplitReader reader;

    @AfterEach
    void close() {
        if (reader != null) {
            reader.close();
        }
        if (exchange != null) {
            exchange.close();
        }
    }

    private ReplayExchange startExchange(double speed, Instant startTime, FaultConfig faults) throws Exception {
        ReplayExchange.Builder builder = ReplayExchange.builder()
                .dataDir(DemoData.DIR)
                .port(0)
                .speed(speed)
                .faults(faults);
        if (startTime != null) {
            builder.startTime(startTime);
        }
        exchange = builder.start();
        return exchange;
    }

    private CandleSplitReader newReader(String exchangeId, long startAtMs) {
        Configuration config = new Configuration();
        config.set(CandleSourceOptions.EXCHANGE, exchangeId);
        config.set(CandleSourceOptions.BASE_URI, exchange.baseUri().toString());
        config.set(CandleSourceOptions.SYMBOLS, List.of("unused"));
        if (startAtMs >= 0) {
            config.set(CandleSourceOptions.START_AT, startAtMs);
        }
        config.set(CandleSourceOptions.MIN_POLL_DELAY, Duration.ofMillis(20));
        config.set(CandleSourceOptions.MAX_WAIT, Duration.ofMillis(200));
        config.set(CandleSourceOptions.RETRY_INITIAL_BACKOFF, Duration.ofMillis(5));
        config.set(CandleSourceOptions.RETRY_MAX_BACKOFF, Duration.ofMillis(50));
        config.set(CandleSourceOptions.REQUEST_TIMEOUT, Duration.ofSeconds(2));
        reader = new CandleSplitReader(
                config, new CandleSourceReaderMetrics(UnregisteredMetricsGroup.createSourceReaderMetricGroup()));
        return reader;
    }

    private static List<Long> openTimes(List<Candle> candles) {
        return candles.stream().map(Candle::openTimeMs).collect(Collectors.toList());
    }

    @Test
    void aBoundedSplitEmitsEveryCandleOfTheFileOnceInOrder() throws Exception {
        startExchange(0, null, FaultConfig.NONE);
        List<Candle> expected = DemoData.binance("BTCUSDT");
        long end = exchange.clock().nowMillis();
        SplitReaderDriver driver = new SplitReaderDriver(
                newReader("binance", expected.get(0).openTimeMs()),
                new CandleSplit("binance", "BTCUSDT", "1m", CandleSplit.NONE_EMITTED, end));

        assertThat(driver.fetchUntilFinished(TIMEOUT)).containsExactlyElementsOf(expected);
    }

    @Test
    void aRestoredSplitResumesAfterItsOffsetWithoutDuplicates() throws Exception {
        startExchange(0, null, FaultConfig.NONE);
        List<Candle> all = DemoData.binance("ETHUSDT");
        Candle lastEmitted = all.get(4321);
        SplitReaderDriver driver = new SplitReaderDriver(
                newReader("binance", -1),
                new CandleSplit(
                        "binance",
                        "ETHUSDT",
                        "1m",
                        lastEmitted.openTimeMs(),
                        exchange.clock().nowMillis()));

        assertThat(driver.fetchUntilFinished(TIMEOUT)).containsExactlyElementsOf(all.subList(4322, all.size()));
    }

    @Test
    void aGapIsMarkedOnTheFirstCandleAfterIt() throws Exception {
        startExchange(0, null, FaultConfig.NONE);
        List<Candle> expected = DemoData.binance("SOLUSDT");
        SplitReaderDriver driver = new SplitReaderDriver(
                newReader("binance", expected.get(0).openTimeMs()),
                new CandleSplit(
                        "binance",
                        "SOLUSDT",
                        "1m",
                        CandleSplit.NONE_EMITTED,
                        exchange.clock().nowMillis()));

        List<Candle> emitted = driver.fetchUntilFinished(TIMEOUT);

        assertThat(emitted).containsExactlyElementsOf(expected);
        // 2021-05-14 20:31 -> 2021-05-15 21:19 UTC: 1487 candles missing, marked on the 21:19 candle only.
        assertThat(emitted.stream().filter(c -> c.missingBefore() > 0))
                .singleElement()
                .satisfies(c -> {
                    assertThat(Instant.ofEpochMilli(c.openTimeMs())).isEqualTo(Instant.parse("2021-05-15T21:19:00Z"));
                    assertThat(c.missingBefore()).isEqualTo(1487);
                });
    }

    @Test
    void faultsOnManyRequestsYieldTheSameCandlesAsACleanRun() throws Exception {
        FaultConfig faults = FaultConfig.NONE
                .withServerErrors(0.1)
                .withTooManyRequests(0.1, 0)
                .withMalformedBodies(0.1)
                .withTruncatedBodies(0.1)
                .withSeed(7);
        startExchange(0, null, faults);
        List<Candle> expected = DemoData.binance("BTCUSDT");
        SplitReaderDriver driver = new SplitReaderDriver(
                newReader("binance", expected.get(0).openTimeMs()),
                new CandleSplit(
                        "binance",
                        "BTCUSDT",
                        "1m",
                        CandleSplit.NONE_EMITTED,
                        exchange.clock().nowMillis()));

        assertThat(driver.fetchUntilFinished(TIMEOUT)).containsExactlyElementsOf(expected);
    }

    @Test
    void coinbaseProductsArePagedThreeHundredAtATimeNewestFirstReversed() throws Exception {
        startExchange(0, null, FaultConfig.NONE.withServerErrors(0.1).withSeed(3));
        List<Candle> expected = DemoData.candles("coinbase", "BTC-USD", "BTCUSDT");
        SplitReaderDriver driver = new SplitReaderDriver(
                newReader("coinbase", expected.get(0).openTimeMs()),
                new CandleSplit(
                        "coinbase",
                        "BTC-USD",
                        "1m",
                        CandleSplit.NONE_EMITTED,
                        exchange.clock().nowMillis()));

        assertThat(driver.fetchUntilFinished(TIMEOUT)).containsExactlyElementsOf(expected);
    }

    @Test
    void aLiveSplitBackfillsThenEmitsEachCandleOnceAfterItCloses() throws Exception {
        List<Candle> all = DemoData.binance("BTCUSDT");
        Instant start = Instant.ofEpochMilli(all.get(200).openTimeMs() + 30_000L);
        startExchange(600, start, FaultConfig.NONE); // a 1m candle closes every 100 ms
        SplitReaderDriver driver = new SplitReaderDriver(
                newReader("binance", -1),
                new CandleSplit("binance", "BTCUSDT", "1m", CandleSplit.NONE_EMITTED, CandleSplit.NO_END));

        List<Candle> emitted = driver.fetchUntil(
                d -> {
                    // Never a candle that is still open on the exchange's clock.
                    d.emitted().forEach(c -> assertThat(c.openTimeMs() + MINUTE)
                            .isLessThanOrEqualTo(exchange.clock().nowMillis()));
                    return d.emitted().size() >= 70 + 30;
                },
                TIMEOUT);

        // The backfill: the 70 candles closed before the first poll; the replay clock runs on (10 candles per wall
        // second) until then, so the first one is only known to be at or after the 130th. Then live candles,
        // contiguous: no gap, no duplicate.
        int first = openTimes(all).indexOf(emitted.get(0).openTimeMs());
        assertThat(first).isGreaterThanOrEqualTo(200 - 70);
        assertThat(emitted).containsExactlyElementsOf(all.subList(first, first + emitted.size()));
    }
}
