package io.chronoprice.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Test helper: writes small candle files and reads the demo files' raw lines, independently of the loader. */
final class CandleFiles {
    static final Path DEMO_DATA = Path.of("demo-data");

    private CandleFiles() {}

    /** Writes a gzip file with the shared header followed by {@code lines}. */
    static Path writeGzip(Path dir, String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content(lines).getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    static Path writePlain(Path dir, String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), content(lines));
    }

    /** {@code count} consecutive 1m candles from {@code firstOpen}, with prices that differ per line. */
    static String[] minuteCandles(long firstOpen, int count) {
        String[] lines = new String[count];
        for (int i = 0; i < count; i++) {
            lines[i] = (firstOpen + i * 60_000L) + ",100." + i + ",101.50,99.25,100.10,0.5" + i;
        }
        return lines;
    }

    /** The data lines (header dropped) of a gzip candle file, exactly as stored. */
    static List<String> dataLines(Path gzipFile) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(gzipFile)), StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String content(String... lines) {
        return CsvCandleLoader.HEADER + "\n" + String.join("\n", lines) + "\n";
    }
}
