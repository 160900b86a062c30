package io.chronoprice.replay;

import io.chronoprice.common.series.CandleInterval;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coinbase Exchange's public candle endpoints, replayed: {@code GET /products/{product_id}/candles} (rows {@code
 * [time, low, high, open, close, volume]} as JSON numbers, newest first) and {@code GET /time}, with Coinbase's
 * {@code {"message":..}} errors.
 *
 * <p>The recordings are Binance USDT pairs, so product {@code BTC-USD} (and {@code BTC-USDT}) is served from the
 * {@code BTCUSDT} file: prices are USDT prices. Like Coinbase, the candle still in progress is served too, as the
 * newest row, with the values it has so far ({@link Candle#inProgress}): a Coinbase row carries no close time, so a
 * client must tell it apart by the server time. {@code start}/{@code end} are inclusive bounds on candle start
 * times; if only one of them is given both are ignored (as Coinbase documents) and the newest 300 candles are
 * served.
 */
final class CoinbaseApi implements ExchangeApi {
    static final int MAX_CANDLES = 300;
    static final Set<Long> GRANULARITIES = Set.of(60L, 300L, 900L, 3600L, 21600L, 86400L);

    private static final Pattern CANDLES_PATH = Pattern.compile("/products/([^/]+)/candles/?");
    private static final Pattern PRODUCT = Pattern.compile("([A-Z0-9]+)-([A-Z0-9]+)");
    private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,12}(\\.[0-9]+)?");
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final CandleStore store;
    private final VirtualClock clock;
    private final AtomicLong openCandlesServed;

    CoinbaseApi(CandleStore store, VirtualClock clock, AtomicLong openCandlesServed) {
        this.openCandlesServed = openCandlesServed;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        if (request.path().equals("/time")) {
            long now = clock.nowMillis();
            return ApiResponse.json(
                    200,
                    "{\"iso\":\"" + ISO_MILLIS.format(Instant.ofEpochMilli(now)) + "\",\"epoch\":"
                            + BigDecimal.valueOf(now, 3).toPlainString() + "}");
        }
        Matcher candles = CANDLES_PATH.matcher(request.path());
        return candles.matches() ? candles(candles.group(1), request) : error(404);
    }

    @Override
    public ApiResponse error(int status) {
        return switch (status) {
            case 404 -> message(404, "NotFound");
            case 405 -> message(405, "Method not allowed");
            case 429 -> message(429, "Public rate limit exceeded");
            default -> message(status, "Internal server error");
        };
    }

    private ApiResponse candles(String productId, ApiRequest request) {
        Optional<String> symbol = symbolOf(productId).filter(store::hasSymbol);
        if (symbol.isEmpty()) {
            return error(404);
        }
        Optional<CandleSeries> series = request.param("granularity")
                .filter(g -> g.matches("[0-9]{1,6}"))
                .map(Long::parseLong)
                .filter(GRANULARITIES::contains)
                .flatMap(CandleInterval::fromSeconds)
                .flatMap(interval -> store.series(symbol.get(), interval));
        if (series.isEmpty()) {
            return message(400, "Unsupported granularity");
        }
        long step = series.get().interval().millis();
        long now = clock.nowMillis();
        long lastClosedStart = Math.floorDiv(now, step) * step - step;
        long from;
        long to;
        Optional<String> start = request.param("start");
        Optional<String> end = request.param("end");
        if (start.isPresent() && end.isPresent()) {
            Optional<Long> startMillis = parseTime(start.get());
            Optional<Long> endMillis = parseTime(end.get());
            if (startMillis.isEmpty()) {
                return message(400, "Invalid start");
            }
            if (endMillis.isEmpty()) {
                return message(400, "Invalid end");
            }
            from = startMillis.get();
            to = endMillis.get();
            if (from > to) {
                return message(400, "start must not be after end");
            }
            long slots = Math.floorDiv(to, step) + Math.floorDiv(-from, step) + 1; // floor(to) - ceil(from) + 1
            if (slots > MAX_CANDLES) {
                return message(
                        400,
                        "granularity too small for the requested time range. Count of aggregations requested exceeds "
                                + MAX_CANDLES);
            }
        } else {
            from = lastClosedStart - (MAX_CANDLES - 2) * step;
            to = lastClosedStart + step;
        }
        List<Candle> served = new ArrayList<>(series.get().between(from, Math.min(to, lastClosedStart)));
        long openStart = lastClosedStart + step;
        if (from <= openStart && openStart <= to) {
            series.get().between(openStart, openStart).forEach(open -> served.add(open.inProgress(now, step)));
        }
        return ApiResponse.json(200, rowsNewestFirst(served));
    }

    /** {@code BTC-USD} and {@code BTC-USDT} both map to the recorded {@code BTCUSDT}. */
    private static Optional<String> symbolOf(String productId) {
        Matcher m = PRODUCT.matcher(productId.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String quote = m.group(2).equals("USD") ? "USDT" : m.group(2);
        return Optional.of(m.group(1) + quote);
    }

    /** ISO-8601 (with zone or offset; without one it is UTC; a bare date is UTC midnight) or epoch seconds. */
    static Optional<Long> parseTime(String value) {
        if (EPOCH_SECONDS.matcher(value).matches()) {
            return Optional.of(new BigDecimal(value).movePointRight(3).longValue());
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant().toEpochMilli());
        } catch (DateTimeParseException notOffset) {
            try {
                return Optional.of(
                        LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toEpochMilli());
            } catch (DateTimeParseException notLocal) {
                try {
                    return Optional.of(LocalDate.parse(value)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toEpochMilli());
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        }
    }

    private static String rowsNewestFirst(List<Candle> candles) {
        StringBuilder json = new StringBuilder(candles.size() * 80 + 2).append('[');
        for (int i = candles.size() - 1; i >= 0; i--) {
            Candle c = candles.get(i);
            json.append('[')
                    .append(c.openTimeMillis() / 1000)
                    .append(',')
                    .append(c.low().toPlainString())
                    .append(',')
                    .append(c.high().toPlainString())
                    .append(',')
                    .append(c.open().toPlainString())
                    .append(',')
                    .append(c.close().toPlainString())
                    .append(',')
                    .append(c.volume().toPlainString())
                    .append(']');
            if (i > 0) {
                json.append(',');
            }
        }
        return json.append(']').toString();
    }

    private static ApiResponse message(int status, String message) {
        return ApiResponse.json(status, "{\"message\":" + Json.quote(message) + "}");
    }
}
