package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.common.series.CandleInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvCandleLoaderTest {
    private static final long T0 = 1620950400000L; // 2021-05-14 00:00 UTC

    @TempDir
    Path dir;

    @Test
    void loadsGzipAndPlainFilesAndKeepsTheRecordedDecimalsExactly() throws IOException {
        CandleFiles.writeGzip(dir, "binance_spot_BTCUSDT_1m.csv.gz", T0 + ",49671.92,49684.550,0.00001000,100,82");
        CandleFiles.writePlain(dir, "binance_spot_ETHUSDT_5m_2021.csv", CandleFiles.minuteCandles(T0, 1));

        LoadResult result = CsvCandleLoader.load(dir);

        assertThat(result.problems()).isEmpty();
        Candle btc = result.store()
                .series("BTCUSDT", CandleInterval.ONE_MINUTE)
                .orElseThrow()
                .between(T0, T0)
                .get(0);
        assertThat(btc.open().toPlainString()).isEqualTo("49671.92");
        assertThat(btc.high().toPlainString()).isEqualTo("49684.550");
        assertThat(btc.low().toPlainString()).isEqualTo("0.00001000");
        assertThat(btc.close().toPlainString()).isEqualTo("100");
        assertThat(result.store().series("ETHUSDT", CandleInterval.FIVE_MINUTES))
                .isPresent();
    }

    static Stream<Arguments> malformedLines() {
        return Stream.of(
                Arguments.of("wrong column count", (T0 + 120_000) + ",1,2,3,4", 4, "expected 6 columns but found 5"),
                Arguments.of("non-number", (T0 + 120_000) + ",1,2,abc,4,5", 4, "low is not a plain decimal number"),
                Arguments.of("exponent", (T0 + 120_000) + ",1,2,1e3,4,5", 4, "low is not a plain decimal number"),
                Arguments.of("bad timestamp", "2021-05-14,1,2,3,4,5", 4, "open_time_ms is not an epoch-millisecond"),
                Arguments.of("off-grid", (T0 + 120_001) + ",1,2,3,4,5", 4, "is not on the 1m grid"),
                Arguments.of("not ascending", (T0 + 60_000) + ",1,2,3,4,5", 4, "is not after the previous line's"),
                Arguments.of("empty line", "", 4, "expected 6 columns but found 1"),
                Arguments.of("too many columns", (T0 + 120_000) + ",1,2,3,4,5,6", 4, "expected 6 columns but found 7"),
                Arguments.of("empty value", (T0 + 120_000) + ",1,,3,4,5", 4, "high is not a plain decimal number: ''"),
                Arguments.of("no fraction digits", (T0 + 120_000) + ",1,2,3,4.,5", 4, "close is not a plain decimal"),
                Arguments.of("no integer digits", (T0 + 120_000) + ",.5,2,3,4,5", 4, "open is not a plain decimal"),
                Arguments.of("two points", (T0 + 120_000) + ",1,2,3,4,5.0.1", 4, "volume is not a plain decimal"),
                Arguments.of("signed", (T0 + 120_000) + ",1,2,-3,4,5", 4, "low is not a plain decimal number"),
                Arguments.of("signed timestamp", "+" + (T0 + 120_000) + ",1,2,3,4,5", 4, "open_time_ms is not"),
                Arguments.of("empty timestamp", ",1,2,3,4,5", 4, "open_time_ms is not an epoch-millisecond"),
                Arguments.of("19-digit timestamp", "1000000000000000000,1,2,3,4,5", 4, "open_time_ms is not"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedLines")
    void skipsAFileWithAMalformedLineReportingFileAndLineAndKeepsTheOthers(
            String what, String badLine, int expectedLine, String expectedMessage) throws IOException {
        CandleFiles.writeGzip(dir, "binance_spot_BTCUSDT_1m.csv.gz", CandleFiles.minuteCandles(T0, 5));
        String[] lines = CandleFiles.minuteCandles(T0, 5);
        lines[2] = badLine; // file line 4: the header is line 1
        Path bad = CandleFiles.writeGzip(dir, "binance_spot_ETHUSDT_1m.csv.gz", lines);

        LoadResult result = CsvCandleLoader.load(dir);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(bad);
            assertThat(p.line()).isEqualTo(expectedLine);
            assertThat(p.message()).contains(expectedMessage);
            assertThat(p.toString()).startsWith(bad + ":" + expectedLine + ": ");
        });
        assertThat(result.store().hasSymbol("ETHUSDT")).isFalse();
        assertThat(result.store()
                        .series("BTCUSDT", CandleInterval.ONE_MINUTE)
                        .orElseThrow()
                        .size())
                .isEqualTo(5);
    }

    @Test
    void reportsAWrongHeaderAsLineOne() throws IOException {
        Path bad =
                Files.writeString(dir.resolve("binance_spot_BTCUSDT_1m.csv"), "time,o,h,l,c,v\n" + T0 + ",1,2,3,4,5\n");

        LoadResult result = CsvCandleLoader.load(dir);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(bad);
            assertThat(p.line()).isEqualTo(1);
        });
        assertThat(result.store().isEmpty()).isTrue();
    }

    @Test
    void reportsBadFileNamesAndIntervalsButIgnoresNonCsvFiles() throws IOException {
        Files.writeString(dir.resolve("README.md"), "not data");
        Path oddName = CandleFiles.writePlain(dir, "btc.csv", CandleFiles.minuteCandles(T0, 1));
        Path weekly = CandleFiles.writePlain(dir, "binance_spot_BTCUSDT_1w.csv", CandleFiles.minuteCandles(T0, 1));

        LoadResult result = CsvCandleLoader.load(dir);

        assertThat(result.problems()).extracting(LoadProblem::file).containsExactlyInAnyOrder(oddName, weekly);
        assertThat(result.store().isEmpty()).isTrue();
    }

    @Test
    void mergesFilesOfOneSeriesThatDoNotOverlapAndSkipsOneThatDoes() throws IOException {
        CandleFiles.writeGzip(dir, "binance_spot_BTCUSDT_1m.csv.gz", CandleFiles.minuteCandles(T0, 3));
        CandleFiles.writeGzip(
                dir, "binance_spot_BTCUSDT_1m_later.csv.gz", CandleFiles.minuteCandles(T0 + 3_600_000, 2));
        Path overlapping = CandleFiles.writeGzip(
                dir, "binance_spot_BTCUSDT_1m_x.csv.gz", CandleFiles.minuteCandles(T0 + 60_000, 2));

        LoadResult result = CsvCandleLoader.load(dir);

        CandleSeries series =
                result.store().series("BTCUSDT", CandleInterval.ONE_MINUTE).orElseThrow();
        assertThat(series.size()).isEqualTo(5);
        assertThat(series.gapCount()).isEqualTo(1);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(overlapping);
            assertThat(p.message()).contains("overlaps");
        });
    }

    @Test
    void rejectsAMissingDirectory() {
        assertThatThrownBy(() -> CsvCandleLoader.load(dir.resolve("missing")))
                .isInstanceOf(NotDirectoryException.class);
    }

    @Test
    void loadsTheDemoDataWithItsRealSolusdtGap() throws IOException {
        LoadResult result = CsvCandleLoader.load(CandleFiles.DEMO_DATA);

        assertThat(result.problems()).isEmpty();
        assertThat(result.store().all())
                .extracting(s -> s.key().toString())
                .containsExactly("BTCUSDT 1m", "ETHUSDT 1m", "SOLUSDT 1m");
        for (CandleSeries s : result.store().all()) {
            assertThat(s.firstOpenTime()).isEqualTo(1620950400000L);
            assertThat(s.lastOpenTime()).isEqualTo(1621540800000L);
        }
        CandleSeries sol =
                result.store().series("SOLUSDT", CandleInterval.ONE_MINUTE).orElseThrow();
        assertThat(sol.gapCount()).isEqualTo(1);
        // 2021-05-14 20:31 -> 2021-05-15 21:19 UTC
        assertThat(sol.between(1621024260001L, 1621113539999L)).isEmpty();
        assertThat(result.store().defaultStartTime()).isEqualTo(1620950400000L + 60 * 60_000L);
        assertThat(result.store().endOfData()).isEqualTo(1621540800000L + 60_000L);
    }
}
