package io.chronoprice.job.source.exchange;

import io.chronoprice.common.series.CandleInterval;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * A blocking client for one exchange's public market-data REST API: its clock and its closed candles. One
 * implementation per exchange knows the wire format; the split reader drives paging, retries and timing.
 */
public interface ExchangeClient extends AutoCloseable {

    /** The exchange id as it appears in every emitted candle, e.g. {@code binance}. */
    String exchangeId();

    /** The exchange's current time in epoch milliseconds. */
    long serverTimeMs() throws IOException, InterruptedException;

    /**
     * Fetches the next page of closed candles of {@code symbol} opening at or after {@code fromMs}, as of the
     * exchange time {@code serverTimeMs} (a candle is closed once {@code openTime + interval <= serverTimeMs}).
     */
    CandleBatch fetchClosedCandles(String symbol, CandleInterval interval, long fromMs, long serverTimeMs)
            throws IOException, InterruptedException;

    @Override
    void close();

    /** The client for {@code exchangeId} ({@value BinanceKlines#EXCHANGE_ID} or {@value CoinbaseCandles#EXCHANGE_ID}). */
    static ExchangeClient create(String exchangeId, URI baseUri, Duration requestTimeout) {
        ExchangeHttp http = new ExchangeHttp(baseUri, requestTimeout);
        switch (exchangeId) {
            case BinanceKlines.EXCHANGE_ID:
                return new BinanceKlines(http);
            case CoinbaseCandles.EXCHANGE_ID:
                return new CoinbaseCandles(http);
            default:
                http.close();
                throw new IllegalArgumentException("Unknown exchange '" + exchangeId + "'; expected "
                        + BinanceKlines.EXCHANGE_ID + " or " + CoinbaseCandles.EXCHANGE_ID);
        }
    }

    /** Whether {@link #create} knows {@code exchangeId}. */
    static boolean isSupported(String exchangeId) {
        return BinanceKlines.EXCHANGE_ID.equals(exchangeId) || CoinbaseCandles.EXCHANGE_ID.equals(exchangeId);
    }
}
