package io.chronoprice.job.source.exchange;

import static org.apache.flink.util.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Coinbase Exchange candles: {@code GET /products/{product_id}/candles?granularity=&start=&end=}, at most 300
 * candles per request, newest first, rows {@code [time_seconds, low, high, open, close, volume]} as numbers; the
 * clock is {@code GET /time} ({@code {"iso": ..., "epoch": seconds}}). Symbols are Coinbase's own product ids
 * (e.g. {@code BTC-USD}): the source does not translate between exchanges' names, since the quote currencies
 * differ (USDT on Binance, USD on Coinbase) and so do the prices.
 */
public final class CoinbaseCandles implements ExchangeClient {
    public static final String EXCHANGE_ID = "coinbase";

    /** Coinbase's maximum number of candles per request. */
    static final int MAX_CANDLES = 300;

    private final ExchangeHttp http;

    CoinbaseCandles(ExchangeHttp http) {
        this.http = checkNotNull(http);
    }

    @Override
    public String exchangeId() {
        return EXCHANGE_ID;
    }

    @Override
    public long serverTimeMs() throws IOException, InterruptedException {
        JsonNode root = JsonRows.readObject(http.get("/time").body(), "coinbase /time");
        JsonNode epoch = root.get("epoch");
        if (epoch != null && epoch.isNumber()) {
            return Math.round(epoch.asDouble() * 1000.0);
        }
        JsonNode iso = root.get("iso");
        if (iso != null && iso.isTextual()) {
            try {
                return Instant.parse(iso.asText()).toEpochMilli();
            } catch (RuntimeException e) {
                throw new MalformedResponseException("coinbase /time: unreadable iso time " + iso, e);
            }
        }
        throw new MalformedResponseException("coinbase /time: neither epoch nor iso in " + root, null);
    }

    @Override
    public CandleBatch fetchClosedCandles(String productId, CandleInterval interval, long fromMs, long serverTimeMs)
            throws IOException, InterruptedException {
        long lastClosedOpenMs = interval.alignDown(serverTimeMs) - interval.millis();
        if (fromMs > lastClosedOpenMs) {
            return new CandleBatch(List.of(), List.of(), fromMs, true, -1);
        }
        // start and end are both open times of wanted candles, so one request never asks for more than 300.
        long endMs = Math.min(fromMs + (MAX_CANDLES - 1) * interval.millis(), lastClosedOpenMs);
        String body = http.get("/products/" + URLEncoder.encode(productId, StandardCharsets.UTF_8)
                        + "/candles?granularity=" + interval.seconds()
                        + "&start=" + Instant.ofEpochMilli(fromMs)
                        + "&end=" + Instant.ofEpochMilli(endMs))
                .body();
        return parse(body, productId, interval, endMs, lastClosedOpenMs, serverTimeMs);
    }

    /**
     * Parses one candles body requested up to the open time {@code endMs}; rows are returned oldest first, rows
     * that fail validation as rejections.
     */
    static CandleBatch parse(
            String body,
            String productId,
            CandleInterval interval,
            long endMs,
            long lastClosedOpenMs,
            long serverTimeMs)
            throws MalformedResponseException {
        JsonNode rows = JsonRows.readArray(body, "coinbase candles " + productId + " " + interval.code());
        CandlePage page = new CandlePage();
        boolean servedEnd = false;
        for (JsonNode row : rows) {
            try {
                long openTime = JsonRows.secondsFieldAsMillis(row, 0, "time");
                if (openTime > serverTimeMs) {
                    page.reject(RejectReason.FUTURE_TIME, "time after the server time " + serverTimeMs + " in " + row);
                    continue;
                }
                if (openTime + interval.millis() > serverTimeMs) {
                    continue; // the still-open candle, served as the newest row
                }
                servedEnd |= openTime == endMs;
                double low = JsonRows.doubleField(row, 1, "low");
                double high = JsonRows.doubleField(row, 2, "high");
                double open = JsonRows.doubleField(row, 3, "open");
                double close = JsonRows.doubleField(row, 4, "close");
                double volume = JsonRows.doubleField(row, 5, "volume");
                Optional<RejectReason> invalid =
                        CandleValidator.validate(openTime, open, high, low, close, volume, interval.millis());
                if (invalid.isPresent()) {
                    page.reject(invalid.get(), row.toString());
                } else {
                    page.accept(
                            new Candle(
                                    EXCHANGE_ID,
                                    productId,
                                    interval.code(),
                                    openTime,
                                    open,
                                    high,
                                    low,
                                    close,
                                    volume,
                                    0),
                            row);
                }
            } catch (JsonRows.BadField e) {
                page.reject(e.reason, e.getMessage() + " in " + row);
            }
        }
        // Whether the server treats "end" as inclusive or not, restarting at endMs when it did not serve that
        // candle can only re-request one slot; skipping past it could lose a candle.
        long nextFromMs = servedEnd ? endMs + interval.millis() : endMs;
        boolean upToDate = endMs >= lastClosedOpenMs;
        return new CandleBatch(page.candles(), page.rejections(), nextFromMs, upToDate, -1);
    }

    @Override
    public void close() {
        http.close();
    }
}
