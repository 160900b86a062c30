package io.chronoprice.replay;

import io.chronoprice.common.series.CandleInterval;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Loads a directory of candle files in the shared format: {@code binance_spot_<SYMBOL>_<interval>[_<suffix>].csv.gz}
 * (or plain {@code .csv}), header {@code open_time_ms,open,high,low,close,volume}, ascending on-grid open times.
 *
 * <p>Only the directory itself is read, not its subdirectories. Files that are not {@code .csv}/{@code .csv.gz} are
 * ignored (a README may sit next to the data). A file with any malformed line is skipped as a whole and reported
 * with its line number: serving the rest of such a file would turn the bad line into a silent hole that consumers
 * could not tell from a real exchange gap. Several files of the same symbol and interval (e.g. a 2021 file and a
 * {@code _2025} file) are merged when their time ranges do not overlap; an overlapping file is skipped and reported.
 */
public final class CsvCandleLoader {
    static final String HEADER = "open_time_ms,open,high,low,close,volume";

    private static final Pattern FILE_NAME =
            Pattern.compile("binance_spot_([A-Z0-9]+)_([0-9]+[a-zA-Z])(?:_[A-Za-z0-9-]+)?\\.csv(?:\\.gz)?");
    private static final Pattern OPEN_TIME = Pattern.compile("[0-9]{1,18}");
    // Plain notation only: it is what the shared format promises, and it round-trips through BigDecimal exactly.
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final String[] COLUMNS = HEADER.split(",");

    private CsvCandleLoader() {}

    public static LoadResult load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        List<LoadProblem> problems = new ArrayList<>();
        Map<SeriesKey, List<FileCandles>> byKey = new LinkedHashMap<>();
        for (Path file : candidateFiles(dir)) {
            Matcher name = FILE_NAME.matcher(file.getFileName().toString());
            if (!name.matches()) {
                problems.add(new LoadProblem(
                        file, 0, "name does not match binance_spot_<SYMBOL>_<interval>[_<suffix>].csv[.gz]; skipped"));
                continue;
            }
            CandleInterval interval = CandleInterval.find(name.group(2)).orElse(null);
            if (interval == null) {
                problems.add(new LoadProblem(file, 0, "unsupported interval '" + name.group(2) + "'; skipped"));
                continue;
            }
            try {
                List<Candle> candles = read(file, interval);
                byKey.computeIfAbsent(new SeriesKey(name.group(1), interval), k -> new ArrayList<>())
                        .add(new FileCandles(file, candles));
            } catch (MalformedFileException e) {
                problems.add(e.problem);
            }
        }
        List<CandleSeries> series = new ArrayList<>();
        byKey.forEach((key, files) -> series.add(merge(key, files, problems)));
        return new LoadResult(new CandleStore(series), problems);
    }

    private static List<Path> candidateFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        String name = f.getFileName().toString();
                        return name.endsWith(".csv") || name.endsWith(".csv.gz");
                    })
                    .sorted()
                    .toList();
        }
    }

    private static List<Candle> read(Path file, CandleInterval interval) throws MalformedFileException {
        int lineNumber = 0;
        try (BufferedReader reader = open(file)) {
            String line = reader.readLine();
            lineNumber = 1;
            if (!HEADER.equals(line)) {
                throw new MalformedFileException(file, 1, "expected header '" + HEADER + "' but found '" + line + "'");
            }
            List<Candle> candles = new ArrayList<>();
            long previous = Long.MIN_VALUE;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                Candle candle = parse(file, lineNumber, line, interval, previous);
                previous = candle.openTimeMillis();
                candles.add(candle);
            }
            if (candles.isEmpty()) {
                throw new MalformedFileException(file, 0, "no candles after the header");
            }
            return candles;
        } catch (IOException e) {
            throw new MalformedFileException(file, lineNumber, "cannot read: " + e.getMessage());
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static Candle parse(Path file, int lineNumber, String line, CandleInterval interval, long previousOpenTime)
            throws MalformedFileException {
        String[] fields = line.split(",", -1);
        if (fields.length != COLUMNS.length) {
            throw new MalformedFileException(
                    file, lineNumber, "expected " + COLUMNS.length + " columns but found " + fields.length);
        }
        if (!OPEN_TIME.matcher(fields[0]).matches()) {
            throw new MalformedFileException(
                    file, lineNumber, "open_time_ms is not an epoch-millisecond integer: '" + fields[0] + "'");
        }
        long openTime = Long.parseLong(fields[0]);
        if (openTime % interval.millis() != 0) {
            throw new MalformedFileException(
                    file, lineNumber, "open time " + openTime + " is not on the " + interval.code() + " grid");
        }
        if (openTime <= previousOpenTime) {
            throw new MalformedFileException(
                    file,
                    lineNumber,
                    "open time " + openTime + " is not after the previous line's " + previousOpenTime);
        }
        BigDecimal[] values = new BigDecimal[5];
        for (int i = 1; i < fields.length; i++) {
            if (!DECIMAL.matcher(fields[i]).matches()) {
                throw new MalformedFileException(
                        file, lineNumber, COLUMNS[i] + " is not a plain decimal number: '" + fields[i] + "'");
            }
            values[i - 1] = new BigDecimal(fields[i]);
        }
        return new Candle(openTime, values[0], values[1], values[2], values[3], values[4]);
    }

    private static CandleSeries merge(SeriesKey key, List<FileCandles> files, List<LoadProblem> problems) {
        List<FileCandles> ordered = files.stream()
                .sorted(Comparator.comparingLong(FileCandles::firstOpenTime))
                .toList();
        List<Candle> merged = new ArrayList<>();
        FileCandles previous = null;
        for (FileCandles current : ordered) {
            if (previous != null && current.firstOpenTime() <= previous.lastOpenTime()) {
                problems.add(new LoadProblem(
                        current.file(),
                        0,
                        "overlaps " + previous.file().getFileName() + " (same " + key + "); skipped"));
                continue;
            }
            merged.addAll(current.candles());
            previous = current;
        }
        return new CandleSeries(key, merged);
    }

    private record FileCandles(Path file, List<Candle> candles) {
        long firstOpenTime() {
            return candles.get(0).openTimeMillis();
        }

        long lastOpenTime() {
            return candles.get(candles.size() - 1).openTimeMillis();
        }
    }

    /** Carries the problem of a file that is skipped as a whole. */
    private static final class MalformedFileException extends Exception {
        private final LoadProblem problem;

        MalformedFileException(Path file, int line, String message) {
            super(message, null, false, false);
            this.problem = new LoadProblem(file, line, message);
        }
    }
}
