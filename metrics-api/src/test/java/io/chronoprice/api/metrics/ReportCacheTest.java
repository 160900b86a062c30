package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.api.symbols.SeriesKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReportCacheTest {

    private static final ReportCache.Key BTC =
            new ReportCache.Key(new SeriesKey("binance", "BTCUSDT", "1m"), Window.DAY, null);
    private static final ReportCache.Key ETH =
            new ReportCache.Key(new SeriesKey("binance", "ETHUSDT", "1m"), Window.DAY, null);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger computed = new AtomicInteger();
    /** Not listening unless a test says so: the TTL applies. */
    private final WrittenExchanges writes = new WrittenExchanges();

    @Test
    void theSameQuestionWithinTheTtlIsAnsweredFromTheCacheAndRecomputedAfter() {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);

        MetricsReport first = cache.get(BTC, report("BTCUSDT"));
        nanos.addAndGet(999_000_000L);
        assertThat(cache.get(BTC, report("BTCUSDT"))).isSameAs(first);
        assertThat(computed).hasValue(1);

        cache.get(ETH, report("ETHUSDT"));
        assertThat(computed).as("another question is computed").hasValue(2);

        nanos.addAndGet(1_000_000L);
        assertThat(cache.get(BTC, report("BTCUSDT"))).isNotSameAs(first);
        assertThat(computed).hasValue(3);
        assertThat(cache.computations()).as("the counter the API exports").isEqualTo(3);
    }

    @Test
    void aZeroTtlComputesEveryRequest() {
        ReportCache cache = cache(Duration.ZERO, 100);

        cache.get(BTC, report("BTCUSDT"));
        cache.get(BTC, report("BTCUSDT"));

        assertThat(computed).hasValue(2);
        assertThat(cache.computations()).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFailureIsNotCachedSoAnUnknownSymbolIsAskedAgain() {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);
        Supplier<MetricsReport> unknown = () -> {
            computed.incrementAndGet();
            throw new IllegalArgumentException("unknown symbol");
        };

        assertThatThrownBy(() -> cache.get(BTC, unknown)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.get(BTC, unknown)).isInstanceOf(IllegalArgumentException.class);
        assertThat(computed).hasValue(2);
    }

    @Test
    void theCacheNeverHoldsMoreThanItsEntries() {
        ReportCache cache = cache(Duration.ofSeconds(1), 3);

        for (int i = 0; i < 10; i++) {
            String symbol = "S" + i + "USDT";
            cache.get(new ReportCache.Key(new SeriesKey("binance", symbol, "1m"), Window.ALL, null), report(symbol));
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
    }

    private ReportCache cache(Duration ttl, int entries) {
        return new ReportCache(
                new MetricsProperties(ttl, Duration.ofMinutes(10), entries, true, Duration.ofSeconds(5)),
                writes,
                nanos::get);
    }

    @Test
    void whileWritesAreHeardAReportIsKeptPastTheTtlUntilItsExchangeIsWritten() {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);
        writes.listening(true);

        MetricsReport first = cache.get(BTC, report("BTCUSDT"));
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        writes.written("binance@backtest-1");
        assertThat(cache.get(BTC, report("BTCUSDT")))
                .as("five minutes on, another exchange written")
                .isSameAs(first);

        writes.written("binance");
        MetricsReport second = cache.get(BTC, report("BTCUSDT"));
        assertThat(second).isNotSameAs(first);
        assertThat(cache.get(BTC, report("BTCUSDT"))).isSameAs(second);
        assertThat(computed).hasValue(2);
    }

    @Test
    void aRegistryWriteRenewsTheReportsOfEveryExchange() {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);
        writes.listening(true);
        MetricsReport first = cache.get(BTC, report("BTCUSDT"));

        writes.written("");

        assertThat(cache.get(BTC, report("BTCUSDT"))).isNotSameAs(first);
        assertThat(computed).hasValue(2);
    }

    @Test
    void aHeardReportIsRecomputedOnceItReachesTheMaxAgeEvenWithoutAWrite() {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);
        writes.listening(true);
        MetricsReport first = cache.get(BTC, report("BTCUSDT"));

        nanos.addAndGet(Duration.ofMinutes(10).toNanos() - 1);
        assertThat(cache.get(BTC, report("BTCUSDT"))).isSameAs(first);
        nanos.addAndGet(1);
        assertThat(cache.get(BTC, report("BTCUSDT"))).isNotSameAs(first);
    }

    @Test
    void aWriteHeardWhileTheReportIsComputedLeavesItToBeComputedAgain() {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);
        writes.listening(true);

        MetricsReport raced = cache.get(BTC, () -> {
            // The report may have read the rows before this write's commit.
            writes.written("binance");
            return report("BTCUSDT").get();
        });

        assertThat(cache.get(BTC, report("BTCUSDT"))).isNotSameAs(raced);
    }

    @Test
    void whenListeningStopsTheTtlAppliesAndWhenItStartsAgainEveryReportIsRenewed() {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);
        writes.listening(true);
        MetricsReport heard = cache.get(BTC, report("BTCUSDT"));

        writes.listening(false);
        assertThat(cache.get(BTC, report("BTCUSDT"))).as("within the TTL").isSameAs(heard);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        MetricsReport unheard = cache.get(BTC, report("BTCUSDT"));
        assertThat(unheard).as("past the TTL, no write heard").isNotSameAs(heard);

        // The writes in between went unheard: a report from before is not current.
        writes.listening(true);
        assertThat(cache.get(BTC, report("BTCUSDT"))).isNotSameAs(unheard);
        assertThat(computed).hasValue(3);
    }

    private Supplier<MetricsReport> report(String symbol) {
        return () -> {
            computed.incrementAndGet();
            return new MetricsReport("binance", symbol, "1m", "24h", null, 0.8, List.of(), null);
        };
    }

    @Test
    void whileAnExpiredReportIsRecomputedTheOthersGetItAndNobodyComputesItTwice() throws Exception {
        ReportCache cache = cache(Duration.ofSeconds(1), 100);
        MetricsReport old = cache.get(BTC, report("BTCUSDT"));
        nanos.addAndGet(2_000_000_000L);
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<MetricsReport> recompute = pool.submit(() -> cache.get(BTC, () -> {
                computing.countDown();
                await(release);
                return report("BTCUSDT").get();
            }));
            computing.await();

            assertThat(cache.get(BTC, report("BTCUSDT")))
                    .as("the expired report, meanwhile")
                    .isSameAs(old);
            release.countDown();
            MetricsReport fresh = recompute.get(10, TimeUnit.SECONDS);
            assertThat(fresh).isNotSameAs(old);
            assertThat(cache.get(BTC, report("BTCUSDT"))).isSameAs(fresh);
            assertThat(computed)
                    .as("the first report and the one recomputation")
                    .hasValue(2);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
