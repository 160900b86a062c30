package io.chronoprice.job;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.DemoData;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Slices of the demo candles, written in the shared CSV format into a test's own replay data directory. */
public final class DemoSlice {

    private DemoSlice() {}

    /** Writes {@code symbol}'s 1m candles with open times in [from, to] to {@code dir} and returns them. */
    public static List<Candle> write(Path dir, String symbol, long fromMs, long toMs) {
        List<Candle> slice = DemoData.binance(symbol).stream()
                .filter(c -> c.openTimeMs() >= fromMs && c.openTimeMs() <= toMs)
                .toList();
        Path file = dir.resolve("binance_spot_" + symbol + "_1m.csv.gz");
        try (Writer out =
                new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            out.write("open_time_ms,open,high,low,close,volume\n");
            for (Candle c : slice) {
                out.write(c.openTimeMs() + "," + plain(c.open()) + "," + plain(c.high()) + "," + plain(c.low()) + ","
                        + plain(c.close()) + "," + plain(c.volume()) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return slice;
    }

    /** The shared format's plain decimal notation of a double, which reads back as the same double. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).toPlainString();
    }
}
