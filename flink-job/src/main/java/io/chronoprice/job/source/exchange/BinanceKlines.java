package io.chronoprice.job.source.exchange;

import static org.apache.flink.util.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.chronoprice.common.series.CandleInterval;
import io.chronoprice.job.candle.Candle;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Binance spot klines: {@code GET /api/v3/klines?symbol=&interval=&startTime=&limit=1000}, oldest first, rows
 * {@code [openTime, "open", "high", "low", "close", "volume", closeTime, ...]} with prices as strings, and the
 * still-open candle as the last row; the clock is {@code GET /api/v3/time}. Symbols are Binance's, e.g. BTCUSDT.
 */
public final class BinanceKlines implements ExchangeClient {
    public static final String EXCHANGE_ID = "binance";

    /** Binance's maximum page size. */
    static final int LIMIT = 1000;

    private final ExchangeHttp http;

    BinanceKlines(ExchangeHttp http) {
        this.http = checkNotNull(http);
    }

    @Override
    public String exchangeId() {
        return EXCHANGE_ID;
    }

    @Override
    public long serverTimeMs() throws IOException, InterruptedException {
        JsonNode root = JsonRows.readObject(http.get("/api/v3/time").body(), "binance /api/v3/time");
        JsonNode time = root.get("serverTime");
        if (time == null || !time.isIntegralNumber()) {
            throw new MalformedResponseException("binance /api/v3/time: no integral serverTime in " + root, null);
        }
        return time.asLong();
    }

    @Override
    public CandleBatch fetchClosedCandles(String symbol, CandleInterval interval, long fromMs, long serverTimeMs)
            throws IOException, InterruptedException {
        ExchangeHttp.Response response = http.get("/api/v3/klines?symbol="
                + URLEncoder.encode(symbol, StandardCharsets.UTF_8)
                + "&interval=" + interval.code()
                + "&startTime=" + fromMs
                + "&limit=" + LIMIT);
        return parse(
                response.body(),
                symbol,
                interval,
                fromMs,
                serverTimeMs,
                response.usedWeight().orElse(-1));
    }

    /** Parses one klines body; rows that fail validation are returned as rejections, never thrown. */
    static CandleBatch parse(
            String body, String symbol, CandleInterval interval, long fromMs, long serverTimeMs, int usedWeight)
            throws MalformedResponseException {
        JsonNode rows = JsonRows.readArray(body, "binance klines " + symbol + " " + interval.code());
        CandlePage page = new CandlePage();
        long nextFromMs = fromMs;
        boolean sawOpenCandle = false;
        for (JsonNode row : rows) {
            try {
                long openTime = JsonRows.longField(row, 0, "openTime");
                if (openTime > serverTimeMs) {
                    page.reject(
                            RejectReason.FUTURE_TIME, "openTime after the server time " + serverTimeMs + " in " + row);
                    continue;
                }
                // Binance's closeTime is openTime + interval - 1, so "closeTime >= serverTime" means still open.
                if (openTime + interval.millis() > serverTimeMs) {
                    sawOpenCandle = true;
                    continue;
                }
                nextFromMs = Math.max(nextFromMs, openTime + interval.millis());
                double open = JsonRows.doubleField(row, 1, "open");
                double high = JsonRows.doubleField(row, 2, "high");
                double low = JsonRows.doubleField(row, 3, "low");
                double close = JsonRows.doubleField(row, 4, "close");
                double volume = JsonRows.doubleField(row, 5, "volume");
                Optional<RejectReason> invalid =
                        CandleValidator.validate(openTime, open, high, low, close, volume, interval.millis());
                if (invalid.isPresent()) {
                    page.reject(invalid.get(), row.toString());
                } else {
                    page.accept(
                            new Candle(
                                    EXCHANGE_ID, symbol, interval.code(), openTime, open, high, low, close, volume, 0),
                            row);
                }
            } catch (JsonRows.BadField e) {
                page.reject(e.reason, e.getMessage() + " in " + row);
            }
        }
        // A short page ends at the newest candle the exchange has; so does a page that reaches the open candle.
        boolean upToDate = rows.size() < LIMIT || sawOpenCandle;
        return new CandleBatch(page.candles(), page.rejections(), nextFromMs, upToDate, usedWeight);
    }

    @Override
    public void close() {
        http.close();
    }
}
