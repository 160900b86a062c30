package io.chronoprice.api.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.api.problem.Params;
import io.micronaut.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryCursorTest {

    private static final Instant FROM = Instant.parse("2021-05-14T00:00:00Z");

    @Test
    void aCursorAfterARowParsesBackToThatRowsPosition() {
        PredictionView row = row(Instant.parse("2021-05-14T10:01:00.123456Z"), "lstm-v1");

        String cursor = HistoryCursor.after(row).encode();

        assertThat(cursor).doesNotContain("=", "+", "/");
        assertThat(HistoryCursor.parse(cursor, FROM))
                .isEqualTo(new HistoryCursor(row.targetOpenTime(), row.modelVersion()));
        assertThat(HistoryCursor.parse(" " + cursor + "== ", FROM)).isEqualTo(HistoryCursor.parse(cursor, FROM));
    }

    @Test
    void timesBeforeTheEpochRoundTripToo() {
        HistoryCursor early = new HistoryCursor(Instant.parse("1969-12-31T23:59:59.5Z"), "v1");

        assertThat(HistoryCursor.parse(early.encode(), FROM)).isEqualTo(early);
    }

    @Test
    void withoutACursorThePageStartsJustBeforeFrom() {
        HistoryCursor start = HistoryCursor.parse(null, FROM);

        // One microsecond (timestamptz's resolution) before, with the smallest version: every row at FROM follows.
        assertThat(start).isEqualTo(new HistoryCursor(Instant.parse("2021-05-13T23:59:59.999999Z"), ""));
        assertThat(HistoryCursor.parse("  ", FROM)).isEqualTo(start);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // Not what encode() writes.
                "1620950400|v1",
                "1620950400.0",
                "|v1",
                "x.0|v1",
                "1620950400.x|v1",
                "+1620950400.0|v1",
                "01620950400.0|v1",
                "1620950400.00|v1",
                "1620950400.-1|v1",
                "1620950400.1000000000|v1",
                "1620950400.0 |v1",
                // Positions the database cannot be asked about.
                "99999999999999999999.0|v1",
                "9223372036854775807.0|v1",
                "-9223372036854775808.0|v1",
                "253402300800.0|v1",
                "-62135596801.999999000|v1",
                "1620950400.0|v1\u0000",
                "1620950400.0|\u0000",
                "1620950400.0|v1\r\nX-Injected: 1"
            })
    void refusesTextThisApiCannotHaveIssued(String text) {
        assertForeign(Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] bytes = "1620950400.0|v".getBytes(StandardCharsets.US_ASCII);
        byte[] invalid = new byte[bytes.length + 2];
        System.arraycopy(bytes, 0, invalid, 0, bytes.length);
        invalid[bytes.length] = (byte) 0xC3;
        invalid[bytes.length + 1] = (byte) 0x28;

        assertForeign(Base64.getUrlEncoder().withoutPadding().encodeToString(invalid));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "MTYyMDk1MDQwMC4wfHYx+/", "%00", "====", "A"})
    void refusesTextThatIsNotBase64Url(String cursor) {
        assertForeign(cursor);
    }

    @Test
    void acceptsTheEndsOfTheSupportedRange() {
        for (Instant end : new Instant[] {Params.EARLIEST, Params.LATEST}) {
            HistoryCursor cursor = new HistoryCursor(end, "v1");

            assertThat(HistoryCursor.parse(cursor.encode(), FROM)).isEqualTo(cursor);
        }
    }

    private static void assertForeign(String cursor) {
        ApiProblemException problem =
                catchThrowableOfType(ApiProblemException.class, () -> HistoryCursor.parse(cursor, FROM));

        assertThat(problem).as("refused: " + cursor).isNotNull();
        assertThat(problem.status().getCode()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(problem.parameter()).isEqualTo("cursor");
    }

    private static PredictionView row(Instant target, String version) {
        return new PredictionView(
                "binance",
                "BTCUSDT",
                "1m",
                target,
                version,
                49712.3,
                null,
                null,
                49700.0,
                target.minusSeconds(60),
                target,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "champion",
                true);
    }
}
