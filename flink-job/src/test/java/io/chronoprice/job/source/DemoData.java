package io.chronoprice.job.source;

import io.chronoprice.job.candle.Candle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The project's demo candles (real Binance 1m data, replay-exchange/demo-data), read as the tests expect them. */
public final class DemoData {
    /** The replay exchange's demo data directory, relative to the flink-job module. */
    public static final Path DIR = Path.of("../replay-exchange/demo-data");

    private DemoData() {}

    /** Every candle of a 1m demo file as the source must emit it, gaps marked in {@code missingBefore}. */
    public static List<Candle> candles(String exchange, String symbol, String symbolInFile) {
        return read(DIR.resolve("binance_spot_" + symbolInFile + "_1m.csv.gz"), exchange, symbol);
    }

    /** Every candle of a 1m file in the shared CSV format, gaps marked in {@code missingBefore}. */
    public static List<Candle> read(Path file, String exchange, String symbol) {
        List<Candle> candles = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line = in.readLine(); // header
            long previous = -1;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                long open = Long.parseLong(f[0]);
                int missing = previous < 0 ? 0 : (int) ((open - previous) / 60_000L - 1);
                candles.add(new Candle(
                        exchange,
                        symbol,
                        "1m",
                        open,
                        Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]),
                        missing));
                previous = open;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return candles;
    }

    public static List<Candle> binance(String symbol) {
        return candles("binance", symbol, symbol);
    }
}
