package io.chronoprice.job.candle;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The candle intervals the source can poll, named by Binance's interval codes. Each one is also a Coinbase
 * granularity (its length in seconds), and candles open on multiples of the interval since the epoch.
 */
public enum CandleInterval {
    ONE_MINUTE("1m", 60_000L),
    FIVE_MINUTES("5m", 5 * 60_000L),
    FIFTEEN_MINUTES("15m", 15 * 60_000L),
    ONE_HOUR("1h", 3_600_000L),
    SIX_HOURS("6h", 6 * 3_600_000L),
    ONE_DAY("1d", 86_400_000L);

    private final String code;
    private final long millis;

    CandleInterval(String code, long millis) {
        this.code = code;
        this.millis = millis;
    }

    /** Binance's interval code, e.g. {@code 1m}; also the {@code interval} of every emitted candle. */
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

    /** The open time of the candle that contains {@code timeMs}. */
    public long alignDown(long timeMs) {
        return Math.floorDiv(timeMs, millis) * millis;
    }

    /** Looked up for every window the job scores, so a map rather than a scan. */
    private static final Map<String, CandleInterval> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(CandleInterval::code, i -> i));

    public static CandleInterval fromCode(String code) {
        CandleInterval interval = BY_CODE.get(code);
        if (interval == null) {
            throw new IllegalArgumentException("Unknown candle interval '" + code + "'; expected one of "
                    + Arrays.stream(values()).map(CandleInterval::code).collect(Collectors.joining(", ")));
        }
        return interval;
    }
}
