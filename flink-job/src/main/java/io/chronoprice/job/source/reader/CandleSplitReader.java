package io.chronoprice.job.source.reader;

import static org.apache.flink.util.Preconditions.checkArgument;

import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.CandleSourceOptions;
import io.chronoprice.job.source.exchange.CandleBatch;
import io.chronoprice.job.source.exchange.ExchangeClient;
import io.chronoprice.job.source.exchange.MalformedResponseException;
import io.chronoprice.job.source.exchange.RateLimitedException;
import io.chronoprice.job.source.exchange.RejectReason;
import io.chronoprice.job.source.exchange.Rejection;
import io.chronoprice.job.source.exchange.RetryableExchangeException;
import io.chronoprice.job.source.split.CandleSplit;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the candle series of one subtask, one HTTP poll per {@link #fetch()}, on the fetcher thread.
 *
 * <p>Each series is polled when its next candle has closed (its close time plus the close lag, in exchange time,
 * converted to wall-clock time through {@link ExchangeClock}), or at once while it is paging through a backfill.
 * It emits only closed candles, in open-time order, each once: anything at or before the last emitted open time is
 * dropped, and a jump in open times is marked in {@link Candle#missingBefore()}, never filled. Transient failures
 * are retried with exponential backoff and jitter; rate limits pause all series. Waits never exceed the configured
 * maximum, so that {@link #wakeUp()}, new splits and shutdown are handled promptly.
 */
public final class CandleSplitReader implements SplitReader<Candle, CandleSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(CandleSplitReader.class);

    private static final long LOG_PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_OVERDUE_DOUBLINGS = 5;

    private final ExchangeClient client;
    private final CandleSourceReaderMetrics metrics;
    private final LongSupplier nanoTime;
    private final ExchangeClock clock;
    private final ThrottledLog throttledLog;

    private final int backfillCandles;
    private final long startAtMs;
    private final long closeLagMs;
    private final long minPollDelayNanos;
    private final long maxWaitNanos;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final int usedWeightLimit;

    private final Map<String, Series> series = new LinkedHashMap<>();
    private long pausedUntilNanos;
    private int clockFailures;

    private final Object wakeUpLock = new Object();
    private boolean wakeUpRequested;

    public CandleSplitReader(Configuration config, CandleSourceReaderMetrics metrics) {
        this(
                ExchangeClient.create(
                        config.get(CandleSourceOptions.EXCHANGE),
                        URI.create(config.get(CandleSourceOptions.BASE_URI)),
                        config.get(CandleSourceOptions.REQUEST_TIMEOUT)),
                config,
                metrics,
                System::nanoTime);
    }

    CandleSplitReader(
            ExchangeClient client, Configuration config, CandleSourceReaderMetrics metrics, LongSupplier nanoTime) {
        this.client = client;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.clock = new ExchangeClock(nanoTime);
        this.throttledLog = new ThrottledLog(LOG_PERIOD_NANOS, nanoTime);
        this.backfillCandles = config.get(CandleSourceOptions.BACKFILL_CANDLES);
        this.startAtMs = config.getOptional(CandleSourceOptions.START_AT).orElse(-1L);
        this.closeLagMs = config.get(CandleSourceOptions.CLOSE_LAG).toMillis();
        this.minPollDelayNanos = config.get(CandleSourceOptions.MIN_POLL_DELAY).toNanos();
        this.maxWaitNanos = config.get(CandleSourceOptions.MAX_WAIT).toNanos();
        this.initialBackoffNanos =
                config.get(CandleSourceOptions.RETRY_INITIAL_BACKOFF).toNanos();
        this.maxBackoffNanos = config.get(CandleSourceOptions.RETRY_MAX_BACKOFF).toNanos();
        this.usedWeightLimit = config.get(CandleSourceOptions.USED_WEIGHT_LIMIT);
        // nanoTime may be negative: every deadline starts at "now", never at 0.
        this.pausedUntilNanos = nanoTime.getAsLong();
    }

    @Override
    public RecordsWithSplitIds<Candle> fetch() throws IOException {
        try {
            return fetchNextDue();
        } catch (InterruptedException e) {
            // The fetcher is shutting down; it does not look at the result.
            Thread.currentThread().interrupt();
            return nothing();
        }
    }

    private RecordsWithSplitIds<Candle> fetchNextDue() throws IOException, InterruptedException {
        long now = nanoTime.getAsLong();
        if (series.isEmpty()) {
            idle(maxWaitNanos);
            return nothing();
        }
        if (pausedUntilNanos - now > 0) {
            idle(pausedUntilNanos - now);
            return nothing();
        }
        if (clock.needsResync() && !resyncClock(now)) {
            return nothing();
        }
        Series next = null;
        long nextWait = Long.MAX_VALUE;
        for (Series s : series.values()) {
            long wait = s.wallNanosUntilDue(now);
            if (next == null || wait < nextWait) {
                next = s;
                nextWait = wait;
            }
        }
        if (nextWait > 0) {
            idle(nextWait);
            return nothing();
        }
        return poll(next);
    }

    /** Reads the server time when the estimate is stale (e.g. a parked replay clock that was moved). */
    private boolean resyncClock(long now) throws IOException, InterruptedException {
        try {
            clock.observe(client.serverTimeMs());
            clockFailures = 0;
            return true;
        } catch (RetryableExchangeException e) {
            onRequestFailure(e, "clock");
            pausedUntilNanos = now + backoffNanos(++clockFailures, e);
            return false;
        }
    }

    private RecordsWithSplitIds<Candle> poll(Series s) throws IOException, InterruptedException {
        metrics.poll();
        try {
            long serverTimeMs = client.serverTimeMs();
            clock.observe(serverTimeMs);
            if (s.fromMs < 0) {
                s.fromMs = firstOpenTime(s.interval, serverTimeMs);
                LOG.info("Split {} starts at the candle opening at {}", s.id, Instant.ofEpochMilli(s.fromMs));
            }
            CandleBatch batch = client.fetchClosedCandles(s.symbol, s.interval, s.fromMs, serverTimeMs);
            s.failures = 0;
            batch.rejections().forEach(rejection -> reject(s, rejection));

            RecordsBySplits.Builder<Candle> records = new RecordsBySplits.Builder<>();
            accept(s, batch, records);
            s.fromMs = Math.max(s.fromMs, batch.nextFromMs());
            if (s.lastEmittedMs != CandleSplit.NONE_EMITTED) {
                metrics.polled(s.symbol, s.lastEmittedMs + s.interval.millis(), clock.reading(), nanoTime);
            }
            throttleOnUsedWeight(batch.usedWeight());

            if (s.isFinished(batch, serverTimeMs)) {
                LOG.info("Split {} reached its end at {}", s.id, Instant.ofEpochMilli(s.endMs));
                records.addFinishedSplit(s.id);
                series.remove(s.id);
            } else {
                schedule(s, batch, serverTimeMs);
            }
            return records.build();
        } catch (RateLimitedException e) {
            onRequestFailure(e, s.id);
            pausedUntilNanos = nanoTime.getAsLong() + e.retryAfter().toNanos();
        } catch (RetryableExchangeException e) {
            onRequestFailure(e, s.id);
            s.retryAfter(nanoTime.getAsLong() + backoffNanos(++s.failures, e));
        }
        return nothing();
    }

    private void accept(Series s, CandleBatch batch, RecordsBySplits.Builder<Candle> records) {
        long intervalMs = s.interval.millis();
        for (Candle candle : batch.candles()) {
            long openTime = candle.openTimeMs();
            // A page may overlap what was already emitted (paging, retries, restore): emit each candle once.
            if (openTime <= s.lastEmittedMs || openTime + intervalMs > s.endMs) {
                continue;
            }
            int missing = 0;
            if (s.lastEmittedMs != CandleSplit.NONE_EMITTED) {
                missing = (int) Math.min(Integer.MAX_VALUE, (openTime - s.lastEmittedMs) / intervalMs - 1);
            }
            if (missing > 0) {
                LOG.info(
                        "Gap in {}: {} candles missing between {} and {}; marked, not filled",
                        s.id,
                        missing,
                        Instant.ofEpochMilli(s.lastEmittedMs),
                        Instant.ofEpochMilli(openTime));
                candle = new Candle(
                        candle.exchange(),
                        candle.symbol(),
                        candle.interval(),
                        openTime,
                        candle.open(),
                        candle.high(),
                        candle.low(),
                        candle.close(),
                        candle.volume(),
                        missing);
            }
            records.add(s.id, candle);
            s.lastEmittedMs = openTime;
        }
    }

    private void schedule(Series s, CandleBatch batch, long serverTimeMs) {
        long now = nanoTime.getAsLong();
        if (!batch.upToDate()) {
            s.dueAt(0, now); // more pages of a backfill: at once
            return;
        }
        long nextCloseDueMs = s.fromMs + s.interval.millis() + closeLagMs;
        if (serverTimeMs >= nextCloseDueMs) {
            // The next candle is overdue (late, or a gap at the exchange): poll again with a growing delay
            // instead of spinning until it appears.
            s.overduePolls = Math.min(s.overduePolls + 1, MAX_OVERDUE_DOUBLINGS);
            s.dueAt(0, now + (minPollDelayNanos << s.overduePolls));
        } else {
            s.overduePolls = 0;
            s.dueAt(nextCloseDueMs, now + minPollDelayNanos);
        }
    }

    private long firstOpenTime(CandleInterval interval, long serverTimeMs) {
        if (startAtMs >= 0) {
            return interval.alignDown(startAtMs);
        }
        // alignDown(serverTime) is the open candle; the backfill is the closed ones just before it.
        return Math.max(0, interval.alignDown(serverTimeMs) - backfillCandles * interval.millis());
    }

    private void throttleOnUsedWeight(int usedWeight) {
        if (usedWeight <= usedWeightLimit) {
            return;
        }
        // Binance counts weight per wall-clock minute (so does the replay exchange, whatever its speed): wait for
        // the next one to start.
        long pauseMs = 60_000L - Math.floorMod(System.currentTimeMillis(), 60_000L);
        pausedUntilNanos = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(pauseMs);
        long suppressed = throttledLog.shouldLog("used-weight");
        if (suppressed >= 0) {
            LOG.info(
                    "Used weight {} is above {}: pausing requests for {} ms ({} similar suppressed)",
                    usedWeight,
                    usedWeightLimit,
                    pauseMs,
                    suppressed);
        }
    }

    private void reject(Series s, Rejection rejection) {
        metrics.rejected(rejection.reason());
        long suppressed = throttledLog.shouldLog(s.id + "/" + rejection.reason());
        if (suppressed >= 0) {
            LOG.warn(
                    "Rejected a candle of {} ({}): {} ({} similar suppressed)",
                    s.id,
                    rejection.reason().label(),
                    rejection.detail(),
                    suppressed);
        }
    }

    private void onRequestFailure(RetryableExchangeException e, String context) {
        if (e instanceof MalformedResponseException) {
            metrics.rejected(RejectReason.MALFORMED_RESPONSE);
        } else {
            metrics.httpError();
        }
        metrics.retry();
        long suppressed = throttledLog.shouldLog(context + "/" + e.getClass().getSimpleName());
        if (suppressed >= 0) {
            LOG.warn(
                    "Request for {} failed, retrying: {} ({} similar suppressed)", context, e.getMessage(), suppressed);
        }
    }

    /** Exponential backoff with jitter in [50 %, 100 %] of the doubled delay, capped. */
    private long backoffNanos(int failures, RetryableExchangeException e) {
        if (e instanceof RateLimitedException) {
            return ((RateLimitedException) e).retryAfter().toNanos();
        }
        long exponential = initialBackoffNanos << Math.min(failures - 1, 30);
        long capped = exponential <= 0 ? maxBackoffNanos : Math.min(exponential, maxBackoffNanos);
        return (long) (capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble()));
    }

    @Override
    public void handleSplitsChanges(SplitsChange<CandleSplit> splitsChange) {
        if (!(splitsChange instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported splits change " + splitsChange.getClass().getSimpleName());
        }
        for (CandleSplit split : splitsChange.splits()) {
            checkArgument(
                    split.exchange().equals(client.exchangeId()),
                    "Split %s belongs to another exchange than this reader's %s",
                    split,
                    client.exchangeId());
            checkArgument(split.isEndResolved(), "Split %s was assigned before its end was resolved", split);
            series.put(split.splitId(), new Series(split));
            LOG.info("Polling {}", split);
        }
    }

    @Override
    public void wakeUp() {
        synchronized (wakeUpLock) {
            wakeUpRequested = true;
            wakeUpLock.notifyAll();
        }
    }

    /** Waits up to {@code nanos} (at most the maximum wait), returning early on {@link #wakeUp()}. */
    private void idle(long nanos) throws InterruptedException {
        long wait = Math.min(nanos, maxWaitNanos);
        synchronized (wakeUpLock) {
            if (!wakeUpRequested && wait > 0) {
                TimeUnit.NANOSECONDS.timedWait(wakeUpLock, wait);
            }
            wakeUpRequested = false;
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static RecordsWithSplitIds<Candle> nothing() {
        return new RecordsBySplits.Builder<Candle>().build();
    }

    /** The reader's view of one split: where to poll next, and when. */
    private final class Series {
        final String id;
        final String symbol;
        final CandleInterval interval;
        final long endMs;
        long lastEmittedMs;
        /** Open time the next request starts at; -1 until the first poll decides (startAt or backfill). */
        long fromMs;
        /** Exchange time the next poll is due at (0: no exchange-time condition). */
        long dueExchangeMs;
        /** Wall-clock time (nanoTime) before which the next poll must not happen. */
        long notBeforeNanos;

        int failures;
        int overduePolls;

        Series(CandleSplit split) {
            this.id = split.splitId();
            this.symbol = split.symbol();
            this.interval = CandleInterval.fromCode(split.interval());
            this.endMs = split.endTimeMs();
            this.lastEmittedMs = split.lastEmittedOpenTimeMs();
            this.fromMs = split.hasEmitted() ? lastEmittedMs + interval.millis() : -1;
            this.notBeforeNanos = nanoTime.getAsLong();
        }

        long wallNanosUntilDue(long now) {
            return Math.max(notBeforeNanos - now, clock.wallNanosUntil(dueExchangeMs));
        }

        void dueAt(long exchangeMs, long notBefore) {
            this.dueExchangeMs = exchangeMs;
            this.notBeforeNanos = notBefore;
        }

        void retryAfter(long notBefore) {
            dueAt(0, notBefore);
        }

        /** Bounded series end once no candle closing at or before the end can still come. */
        boolean isFinished(CandleBatch batch, long serverTimeMs) {
            if (endMs == CandleSplit.NO_END) {
                return false;
            }
            return fromMs + interval.millis() > endMs || (batch.upToDate() && serverTimeMs >= endMs);
        }
    }
}
