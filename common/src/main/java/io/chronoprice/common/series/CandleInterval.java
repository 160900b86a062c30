package io.chronoprice.common.series;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Candle intervals, named by Binance's interval codes, whose candles open on multiples of the interval since the
 * epoch. 3d, 1w and 1M are left out on purpose: their candles are not on that grid (1w starts on Mondays, 1M has no
 * fixed length), so open times could not be checked against it. Not every exchange serves every interval: Coinbase
 * only has the granularities {@link #isCoinbaseGranularity()} says.
 */
public enum CandleInterval {
    ONE_MINUTE("1m", 60_000L),
    THREE_MINUTES("3m", 3 * 60_000L),
    FIVE_MINUTES("5m", 5 * 60_000L),
    FIFTEEN_MINUTES("15m", 15 * 60_000L),
    THIRTY_MINUTES("30m", 30 * 60_000L),
    ONE_HOUR("1h", 3_600_000L),
    TWO_HOURS("2h", 2 * 3_600_000L),
    FOUR_HOURS("4h", 4 * 3_600_000L),
    SIX_HOURS("6h", 6 * 3_600_000L),
    EIGHT_HOURS("8h", 8 * 3_600_000L),
    TWELVE_HOURS("12h", 12 * 3_600_000L),
    ONE_DAY("1d", 86_400_000L);

    /** Looked up for every window the job scores, so a map rather than a scan. */
    private static final Map<String, CandleInterval> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(CandleInterval::code, i -> i));

    private final String code;
    private final long millis;

    CandleInterval(String code, long millis) {
        this.code = code;
        this.millis = millis;
    }

    /** Binance's interval code, e.g. {@code 1m}: in file names, API parameters and every stored row. */
    public String code() {
        return code;
    }

    public long millis() {
        return millis;
    }

    /** Coinbase's {@code granularity} parameter. */
    public long seconds() {
        return millis / 1000L;
    }

    /** Whether Coinbase serves candles of this length (60, 300, 900, 3600, 21600 and 86400 s). */
    public boolean isCoinbaseGranularity() {
        return this == ONE_MINUTE
                || this == FIVE_MINUTES
                || this == FIFTEEN_MINUTES
                || this == ONE_HOUR
                || this == SIX_HOURS
                || this == ONE_DAY;
    }

    /** The open time of the candle that contains {@code timeMs}. */
    public long alignDown(long timeMs) {
        return Math.floorDiv(timeMs, millis) * millis;
    }

    public static Optional<CandleInterval> find(String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
    }

    /** The interval of a code; fails naming the codes there are. */
    public static CandleInterval fromCode(String code) {
        return find(code)
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown candle interval '" + code + "'; expected one of " + codes()));
    }

    /** The interval whose length is {@code seconds} (Coinbase's {@code granularity}), if there is one. */
    public static Optional<CandleInterval> fromSeconds(long seconds) {
        return Arrays.stream(values()).filter(i -> i.millis == seconds * 1000L).findFirst();
    }

    public static String codes() {
        return Arrays.stream(values()).map(CandleInterval::code).collect(Collectors.joining(", "));
    }
}
