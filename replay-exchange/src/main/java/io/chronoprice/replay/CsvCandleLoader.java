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
    private static final String[] COLUMNS = HEADER.split(",");

    private CsvCandleLoader() {}

    public static LoadResult load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        // Files are parsed in parallel (a backtest may read hundreds), then taken in name order, so the problems
        // and the merge come out the same on every run.
        List<FileResult> files = candidateFiles(dir).parallelStream()
                .map(CsvCandleLoader::readFile)
                .toList();
        List<LoadProblem> problems = new ArrayList<>();
        Map<SeriesKey, List<FileCandles>> byKey = new LinkedHashMap<>();
        for (FileResult file : files) {
            if (file.problem() != null) {
                problems.add(file.problem());
            } else {
                byKey.computeIfAbsent(file.key(), k -> new ArrayList<>()).add(file.candles());
            }
        }
        List<CandleSeries> series = new ArrayList<>();
        byKey.forEach((key, ofKey) -> series.add(merge(key, ofKey, problems)));
        return new LoadResult(new CandleStore(series), problems);
    }

    /** One file's series and candles, or why it is skipped. */
    private record FileResult(SeriesKey key, FileCandles candles, LoadProblem problem) {}

    private static FileResult readFile(Path file) {
        Matcher name = FILE_NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            return new FileResult(
                    null,
                    null,
                    new LoadProblem(
                            file,
                            0,
                            "name does not match binance_spot_<SYMBOL>_<interval>[_<suffix>].csv[.gz]; skipped"));
        }
        CandleInterval interval = CandleInterval.find(name.group(2)).orElse(null);
        if (interval == null) {
            return new FileResult(
                    null, null, new LoadProblem(file, 0, "unsupported interval '" + name.group(2) + "'; skipped"));
        }
        try {
            return new FileResult(
                    new SeriesKey(name.group(1), interval), new FileCandles(file, read(file, interval)), null);
        } catch (MalformedFileException e) {
            return new FileResult(null, null, e.problem);
        }
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
        // Hand-rolled rather than split and regular expressions: a backtest's files hold millions of lines.
        int[] ends = new int[COLUMNS.length];
        int fields = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ',') {
                if (fields < ends.length) {
                    ends[fields] = i;
                }
                fields++;
            }
        }
        if (fields != COLUMNS.length) {
            throw new MalformedFileException(
                    file, lineNumber, "expected " + COLUMNS.length + " columns but found " + fields);
        }
        int openTimeEnd = ends[0];
        if (openTimeEnd == 0 || openTimeEnd > 18 || digitsEnd(line, 0, openTimeEnd) != openTimeEnd) {
            throw new MalformedFileException(
                    file,
                    lineNumber,
                    "open_time_ms is not an epoch-millisecond integer: '" + line.substring(0, openTimeEnd) + "'");
        }
        long openTime = Long.parseLong(line, 0, openTimeEnd, 10);
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
        for (int i = 1; i < COLUMNS.length; i++) {
            int start = ends[i - 1] + 1;
            int end = ends[i];
            if (!isPlainDecimal(line, start, end)) {
                throw new MalformedFileException(
                        file,
                        lineNumber,
                        COLUMNS[i] + " is not a plain decimal number: '" + line.substring(start, end) + "'");
            }
            values[i - 1] = new BigDecimal(line.substring(start, end));
        }
        return new Candle(openTime, values[0], values[1], values[2], values[3], values[4]);
    }

    /**
     * Plain notation only, {@code [0-9]+(\.[0-9]+)?}: it is what the shared format promises, and it round-trips
     * through BigDecimal exactly.
     */
    private static boolean isPlainDecimal(String text, int start, int end) {
        int integerEnd = digitsEnd(text, start, end);
        if (integerEnd == start) {
            return false;
        }
        if (integerEnd == end) {
            return true;
        }
        return text.charAt(integerEnd) == '.' && integerEnd + 1 < end && digitsEnd(text, integerEnd + 1, end) == end;
    }

    /** The index of the first non-digit in {@code [start, end)}, or {@code end}. */
    private static int digitsEnd(String text, int start, int end) {
        int i = start;
        while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
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
