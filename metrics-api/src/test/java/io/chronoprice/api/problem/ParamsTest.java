package io.chronoprice.api.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micronaut.http.HttpStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {

    private static final Instant ABSENT = Instant.parse("2000-01-01T00:00:00Z");

    @Test
    void modelVersionIsNullWhenAbsentAndStrippedWhenGiven() {
        assertThat(Params.modelVersion(null)).isNull();
        assertThat(Params.modelVersion("  ")).isNull();
        assertThat(Params.modelVersion(" lstm-v1.2:a+b_c ")).isEqualTo("lstm-v1.2:a+b_c");
        assertThat(Params.modelVersion("v".repeat(100))).hasSize(100);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lstm v1",
                "v1'--",
                "v1\u0000",
                "v1%",
                "v\u00e9",
                "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
                        + "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
            })
    void modelVersionRefusesAnythingOutsideItsPattern(String value) {
        assertBadParameter(() -> Params.modelVersion(value), "model_version");
    }

    @Test
    void requiredRefusesAbsentAndBlankValues() {
        assertThat(Params.required("symbol", " BTCUSDT ")).isEqualTo("BTCUSDT");
        assertBadParameter(() -> Params.required("symbol", null), "symbol");
        assertBadParameter(() -> Params.required("symbol", "\t "), "symbol");
    }

    @Test
    void instantIsTheDefaultWhenAbsentAndAnyOffsetWhenGiven() {
        assertThat(Params.instant("from", null, ABSENT)).isEqualTo(ABSENT);
        assertThat(Params.instant("from", "", ABSENT)).isEqualTo(ABSENT);
        assertThat(Params.instant("from", "2021-05-14T02:00:00+02:00", ABSENT))
                .isEqualTo(Instant.parse("2021-05-14T00:00:00Z"));
        assertThat(Params.instant("from", " 2021-05-14T00:00:00.123456Z ", ABSENT))
                .isEqualTo(Instant.parse("2021-05-14T00:00:00.123456Z"));
    }

    @Test
    void instantAcceptsBothEndsOfTheSupportedRange() {
        assertThat(Params.instant("to", "0001-01-01T00:00:00Z", ABSENT)).isEqualTo(Params.EARLIEST);
        assertThat(Params.instant("to", "9999-12-31T23:59:59.999999Z", ABSENT)).isEqualTo(Params.LATEST);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // Outside the range the database is asked about, though Java parses each of them.
                "+10000-01-01T00:00:00Z",
                "+294277-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z",
                "0000-12-31T23:59:59Z",
                "0001-01-01T00:00:00+00:01",
                "9999-12-31T23:59:59.9999991Z",
                "9999-12-31T23:59:59-00:01",
                // Not an instant with an offset at all.
                "2021-05-14T00:00:00",
                "2021-05-14",
                "2021-02-30T00:00:00Z",
                "2021-05-14T24:00:01Z",
                "2021-05-14T00:00:00+25:00",
                "1620950400",
                "yesterday",
                "infinity",
                "2021-05-14T00:00:00Z\u0000"
            })
    void instantRefusesValuesOutsideTheSupportedRangeOrWithoutOffset(String value) {
        assertBadParameter(() -> Params.instant("from", value, ABSENT), "from");
    }

    @Test
    void intInRangeIsTheDefaultWhenAbsentAndChecksBothBounds() {
        assertThat(Params.intInRange("limit", null, 500, 1, 5000)).isEqualTo(500);
        assertThat(Params.intInRange("limit", " 1 ", 500, 1, 5000)).isEqualTo(1);
        assertThat(Params.intInRange("limit", "5000", 500, 1, 5000)).isEqualTo(5000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "5001", "-1", "2147483648", "99999999999999999999", "1e3", "0x10", "ten", "5 0"})
    void intInRangeRefusesOutOfRangeAndNonIntegers(String value) {
        assertBadParameter(() -> Params.intInRange("limit", value, 500, 1, 5000), "limit");
    }

    static void assertBadParameter(Runnable call, String parameter) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, call::run);

        assertThat(problem).as("refused").isNotNull();
        assertThat(problem.status().getCode()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(problem.parameter()).isEqualTo(parameter);
        assertThat(problem.getMessage()).contains("'" + parameter + "'");
    }
}
