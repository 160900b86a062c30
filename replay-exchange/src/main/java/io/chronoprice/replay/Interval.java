package io.chronoprice.replay;

import java.util.Arrays;
import java.util.Optional;

/**
 * The candle intervals the replay exchange can serve: Binance's fixed-length interval codes whose candles start on
 * multiples of the interval since the epoch. 3d, 1w and 1M are left out on purpose: their candles are not aligned to
 * the epoch grid (1w starts on Mondays, 1M has no fixed length), so a recorded file could not be checked for
 * off-grid open times.
 */
public enum Interval {
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

    private final String code;
    private final long millis;

    Interval(String code, long millis) {
        this.code = code;
        this.millis = millis;
    }

    /** Binance's interval code, as used in file names and in the {@code interval} parameter. */
    public String code() {
        return code;
    }

    public long millis() {
        return millis;
    }

    public static Optional<Interval> fromCode(String code) {
        return Arrays.stream(values()).filter(i -> i.code.equals(code)).findFirst();
    }

    /** The interval whose length is {@code seconds} (Coinbase's {@code granularity}), if there is one. */
    public static Optional<Interval> fromSeconds(long seconds) {
        return Arrays.stream(values()).filter(i -> i.millis == seconds * 1000L).findFirst();
    }
}
