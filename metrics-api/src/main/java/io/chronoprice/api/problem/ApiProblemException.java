package io.chronoprice.api.problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

/**
 * A request the API refuses on purpose (bad or unknown input), carried to {@link ApiProblemHandler} so that
 * controllers can simply throw it.
 */
public final class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String parameter;

    private ApiProblemException(HttpStatus status, @Nullable String parameter, String detail) {
        // No stack trace: these are expected outcomes, logged nowhere and cheap under load.
        super(detail, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    /** A malformed or out-of-range query parameter: 400. */
    public static ApiProblemException badParameter(String parameter, String detail) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, parameter, detail);
    }

    /** A well-formed parameter naming something that does not exist: 404. */
    public static ApiProblemException notFound(String parameter, String detail) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, parameter, detail);
    }

    public HttpStatus status() {
        return status;
    }

    @Nullable
    public String parameter() {
        return parameter;
    }
}
