package io.chronoprice.api.problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

/** Builds problem responses, so that every handler writes the same shape and media type. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    public static MutableHttpResponse<ApiProblem> response(
            HttpStatus status, String detail, @Nullable String parameter) {
        ApiProblem body = new ApiProblem("about:blank", status.getReason(), status.getCode(), detail, parameter);
        return HttpResponse.<ApiProblem>status(status).contentType(MEDIA_TYPE).body(body);
    }
}
