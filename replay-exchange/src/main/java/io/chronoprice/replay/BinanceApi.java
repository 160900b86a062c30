package io.chronoprice.replay;

import io.chronoprice.common.series.CandleInterval;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Binance spot's public market-data endpoints, replayed: {@code GET /api/v3/klines}, {@code /api/v3/time} and
 * {@code /api/v3/ping}, with Binance's row format, {@code X-MBX-USED-WEIGHT-1m} header and {@code {"code":..,"msg":..}}
 * errors.
 *
 * <p>Klines are served up to the virtual clock: every candle whose open time is at or before "now". The last one
 * may still be open (open time <= now < close time) and is then served, as Binance does, as the last row, with
 * the values it has so far ({@link Candle#inProgress}); clients must treat a row whose closeTime is not before
 * {@code serverTime} as open. The files lack quote volume, trade counts and taker volumes,
 * so those fields are synthesized deterministically (see {@link #row}).
 */
final class BinanceApi implements ExchangeApi {
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 1000;
    static final String WEIGHT_HEADER = "X-MBX-USED-WEIGHT-1m";

    // Binance's published request weights for these endpoints.
    private static final int KLINES_WEIGHT = 2;
    private static final int PING_TIME_WEIGHT = 1;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    // Synthesized trade count: one trade per this much quote volume (a typical 2021 BTCUSDT trade size).
    private static final BigDecimal QUOTE_PER_TRADE = BigDecimal.valueOf(500);
    private static final int DERIVED_SCALE = 8;

    private final CandleStore store;
    private final VirtualClock clock;
    private final RequestWeights weights;
    private final AtomicLong openCandlesServed;

    BinanceApi(CandleStore store, VirtualClock clock, RequestWeights weights, AtomicLong openCandlesServed) {
        this.store = store;
        this.clock = clock;
        this.weights = weights;
        this.openCandlesServed = openCandlesServed;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return switch (request.path()) {
            case "/api/v3/ping" -> weighted(PING_TIME_WEIGHT, ApiResponse.json(200, "{}"));
            case "/api/v3/time" ->
                weighted(PING_TIME_WEIGHT, ApiResponse.json(200, "{\"serverTime\":" + clock.nowMillis() + "}"));
            case "/api/v3/klines" -> weighted(KLINES_WEIGHT, klines(request));
            default -> error(404);
        };
    }

    @Override
    public ApiResponse error(int status) {
        return switch (status) {
            case 404 -> errorBody(404, -1000, "Not found.");
            case 405 -> errorBody(405, -1000, "Method not allowed; only GET is supported.");
            case 429 -> errorBody(429, -1003, "Too many requests; current limit is 6000 request weight per 1 MINUTE.");
            default -> errorBody(status, -1001, "Internal error; unable to process your request. Please try again.");
        };
    }

    private ApiResponse klines(ApiRequest request) {
        try {
            String symbol = mandatory(request, "symbol");
            if (!store.hasSymbol(symbol)) {
                throw new BadRequest(-1121, "Invalid symbol.");
            }
            String intervalCode = mandatory(request, "interval");
            CandleSeries series = CandleInterval.find(intervalCode)
                    .flatMap(interval -> store.series(symbol, interval))
                    .orElseThrow(() -> new BadRequest(-1120, "Invalid interval."));
            OptionalLong startTime = millis(request, "startTime");
            OptionalLong endTime = millis(request, "endTime");
            int limit = limit(request);
            if (startTime.isPresent() && endTime.isPresent() && startTime.getAsLong() > endTime.getAsLong()) {
                throw new BadRequest(-1023, "Start time is greater than end time.");
            }
            long upTo = Math.min(endTime.orElse(Long.MAX_VALUE), clock.nowMillis());
            List<Candle> visible = series.between(startTime.orElse(Long.MIN_VALUE), upTo);
            // Like Binance: from startTime forward if given, otherwise the newest `limit` candles.
            List<Candle> page = startTime.isPresent()
                    ? visible.subList(0, Math.min(limit, visible.size()))
                    : visible.subList(Math.max(0, visible.size() - limit), visible.size());
            return ApiResponse.json(200, rows(asOf(page, clock.nowMillis(), series.interval()), series.interval()));
        } catch (BadRequest e) {
            return errorBody(400, e.code, e.getMessage());
        }
    }

    private static String mandatory(ApiRequest request, String name) {
        return request.param(name)
                .orElseThrow(() -> new BadRequest(
                        -1102, "Mandatory parameter '" + name + "' was not sent, was empty/null, or malformed."));
    }

    private static OptionalLong millis(ApiRequest request, String name) {
        return request.param(name)
                .map(value -> {
                    if (!DIGITS.matcher(value).matches()) {
                        throw new BadRequest(
                                -1100,
                                "Illegal characters found in parameter '" + name
                                        + "'; legal range is '^[0-9]{1,18}$'.");
                    }
                    return OptionalLong.of(Long.parseLong(value));
                })
                .orElse(OptionalLong.empty());
    }

    private static int limit(ApiRequest request) {
        OptionalLong limit = millis(request, "limit");
        if (limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (limit.getAsLong() < 1 || limit.getAsLong() > MAX_LIMIT) {
            throw new BadRequest(
                    -1130, "Invalid data sent for a parameter: 'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        return (int) limit.getAsLong();
    }

    /** The page as the exchange shows it at {@code now}: its last candle may still be open. */
    private List<Candle> asOf(List<Candle> page, long now, CandleInterval interval) {
        if (page.isEmpty() || !page.get(page.size() - 1).isOpenAt(now, interval.millis())) {
            return page;
        }
        openCandlesServed.incrementAndGet();
        List<Candle> shown = new ArrayList<>(page);
        shown.set(shown.size() - 1, shown.get(shown.size() - 1).inProgress(now, interval.millis()));
        return shown;
    }

    private static String rows(List<Candle> candles, CandleInterval interval) {
        StringBuilder json = new StringBuilder(candles.size() * 160 + 2).append('[');
        for (int i = 0; i < candles.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            row(json, candles.get(i), interval);
        }
        return json.append(']').toString();
    }

    /**
     * Appends one kline. Prices and volume are the recorded strings. Synthesized, since the files lack them: quote
     * volume = volume * close; trades = quote volume / 500, at least 1 when there was volume; taker buy base and
     * quote volume = half of volume and quote volume. The last field is Binance's unused "ignore" field.
     */
    private static void row(StringBuilder json, Candle c, CandleInterval interval) {
        BigDecimal quoteVolume = c.volume().multiply(c.close()).setScale(DERIVED_SCALE, RoundingMode.HALF_UP);
        long trades = c.volume().signum() == 0
                ? 0
                : Math.max(
                        1,
                        quoteVolume
                                .divide(QUOTE_PER_TRADE, 0, RoundingMode.HALF_UP)
                                .longValue());
        json.append('[')
                .append(c.openTimeMillis())
                .append(",\"")
                .append(c.open().toPlainString())
                .append("\",\"")
                .append(c.high().toPlainString())
                .append("\",\"")
                .append(c.low().toPlainString())
                .append("\",\"")
                .append(c.close().toPlainString())
                .append("\",\"")
                .append(c.volume().toPlainString())
                .append("\",")
                .append(c.openTimeMillis() + interval.millis() - 1)
                .append(",\"")
                .append(quoteVolume.toPlainString())
                .append("\",")
                .append(trades)
                .append(",\"")
                .append(c.volume()
                        .divide(TWO)
                        .setScale(DERIVED_SCALE, RoundingMode.HALF_UP)
                        .toPlainString())
                .append("\",\"")
                .append(quoteVolume
                        .divide(TWO)
                        .setScale(DERIVED_SCALE, RoundingMode.HALF_UP)
                        .toPlainString())
                .append("\",\"0\"]");
    }

    private ApiResponse weighted(int weight, ApiResponse response) {
        return response.withHeader(WEIGHT_HEADER, Integer.toString(weights.add(weight)));
    }

    private static ApiResponse errorBody(int status, int code, String msg) {
        return ApiResponse.json(status, "{\"code\":" + code + ",\"msg\":" + Json.quote(msg) + "}");
    }

    /** A rejected parameter; carries Binance's error code. Caught in {@link #klines} and never escapes. */
    private static final class BadRequest extends RuntimeException {
        private final int code;

        BadRequest(int code, String msg) {
            super(msg, null, false, false);
            this.code = code;
        }
    }
}
