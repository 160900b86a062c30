package io.chronoprice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chronoprice.api.problem.ApiProblemException;
import io.micronaut.http.HttpStatus;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void isTwentyFourHoursWhenAbsent(String value) {
        assertThat(Window.parse(value)).isEqualTo(Window.DAY);
    }

    @ParameterizedTest
    @CsvSource({"1h, HOUR, PT1H", "24h, DAY, PT24H", "7d, WEEK, PT168H", "' 7D ', WEEK, PT168H", "ALL, ALL, "})
    void isNamedByItsLabelInAnyCase(String value, Window window, Duration length) {
        Window parsed = Window.parse(value);

        assertThat(parsed).isEqualTo(window);
        assertThat(parsed.length()).isEqualTo(length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2h", "1d", "HOUR", "24", "all\u0000", "24h'--", "\uff11h"})
    void refusesOtherValuesListingTheValidOnes(String value) {
        ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> Window.parse(value));

        assertThat(problem).as("refused").isNotNull();
        assertThat(problem.status().getCode()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(problem.parameter()).isEqualTo("window");
        assertThat(problem.getMessage()).contains("1h, 24h, 7d, all");
    }
}
