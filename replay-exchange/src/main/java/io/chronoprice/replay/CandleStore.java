package io.chronoprice.replay;

import io.chronoprice.common.series.CandleInterval;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The loaded series, looked up by symbol and interval. Immutable and therefore shared by all request threads. */
public final class CandleStore {
    /**
     * How many candles of history the default start time leaves behind it, so that a consumer that starts with the
     * exchange can fill a model window at once instead of waiting an hour of virtual time.
     */
    static final int DEFAULT_HISTORY_CANDLES = 60;

    private final Map<SeriesKey, CandleSeries> series;

    CandleStore(Collection<CandleSeries> series) {
        this.series = series.stream().collect(Collectors.toUnmodifiableMap(CandleSeries::key, s -> s));
    }

    public Optional<CandleSeries> series(String symbol, CandleInterval interval) {
        return Optional.ofNullable(series.get(new SeriesKey(symbol, interval)));
    }

    public boolean hasSymbol(String symbol) {
        return series.keySet().stream().anyMatch(k -> k.symbol().equals(symbol));
    }

    /** All series, sorted by symbol then interval (for stable log output). */
    public List<CandleSeries> all() {
        return series.values().stream()
                .sorted(Comparator.comparing((CandleSeries s) -> s.key().symbol())
                        .thenComparing(s -> s.interval().millis()))
                .toList();
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }

    /**
     * The default virtual start time: the latest of each series' first open time plus {@value DEFAULT_HISTORY_CANDLES}
     * intervals, so every series already has (gaps aside) that much closed history when the exchange starts.
     */
    public long defaultStartTime() {
        return series.values().stream()
                .mapToLong(s -> s.firstOpenTime()
                        + DEFAULT_HISTORY_CANDLES * s.interval().millis())
                .max()
                .orElseThrow();
    }

    /** The moment at which every candle of every series is closed; the clock stands here at speed "max". */
    public long endOfData() {
        return series.values().stream().mapToLong(CandleSeries::endOfData).max().orElseThrow();
    }
}
