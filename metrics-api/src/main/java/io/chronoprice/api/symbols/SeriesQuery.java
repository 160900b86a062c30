package io.chronoprice.api.symbols;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The query parameters that name a series, bound once for every endpoint that reads one ({@code @RequestBean}) and
 * documented once for the OpenAPI spec: {@code symbol} is required (absent: the 400 problem of
 * {@code MissingParameterHandler}), {@code exchange} and {@code interval} have defaults. Every value arrives as a
 * string and is checked by {@link SeriesKey#parse}, so a bad one is a 400 problem naming it. The enum of intervals is
 * {@link io.chronoprice.common.series.CandleInterval}'s codes (annotations take literals only; the spec test compares).
 */
@Introspected
public record SeriesQuery(
        @Parameter(
                description = "The exchange's symbol, in any case (answered upper-case), e.g. BTCUSDT.",
                example = "BTCUSDT",
                schema = @Schema(type = "string", pattern = "^[A-Za-z0-9-]{2,20}$"))
        @QueryValue
        String symbol,

        @Parameter(
                description = "The exchange name, in any case (answered lower-case): a live exchange such as"
                        + " binance, or a backtest run's such as binance@demo (percent-encoded or not).",
                schema =
                        @Schema(
                                type = "string",
                                pattern = "^[A-Za-z0-9_-]{2,30}(@[A-Za-z0-9_.-]{1,40})?$",
                                defaultValue = SeriesKey.DEFAULT_EXCHANGE))
        @Nullable
        @QueryValue
        String exchange,

        @Parameter(
                description = "The candle interval (case-sensitive: 1m is a minute).",
                schema =
                        @Schema(
                                type = "string",
                                allowableValues = {
                                    "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d"
                                },
                                defaultValue = "1m"))
        @Nullable
        @QueryValue
        String interval) {

    /** The series, validated and canonicalised; a 400 problem naming the parameter otherwise. */
    public SeriesKey key() {
        return SeriesKey.parse(symbol, exchange, interval);
    }
}
