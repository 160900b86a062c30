package io.chronoprice.api.problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

/** Builds problem responses, so that every handler writes the same shape and media type. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The detail of every 405: no route and no static file takes a method other than GET or HEAD. */
    public static final String READ_ONLY = "This API is read-only: only GET and HEAD are allowed.";

    private Problems() {}

    public static MutableHttpResponse<ApiProblem> response(
            HttpStatus status, String detail, @Nullable String parameter) {
        ApiProblem body = new ApiProblem("about:blank", status.getReason(), status.getCode(), detail, parameter);
        return HttpResponse.<ApiProblem>status(status).contentType(MEDIA_TYPE).body(body);
    }

    /**
     * The fixed detail of a status the framework answers (no route, wrong method, unacceptable Accept, oversized or
     * malformed request): it names nothing the client sent.
     */
    public static String detail(HttpStatus status) {
        return detail(status.getCode());
    }

    static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is malformed (request line, percent-encoding, headers or framing).";
            case 404 -> "There is no resource at this path; the API is described at /swagger-ui/index.html.";
            case 405 -> READ_ONLY;
            case 406 ->
                "The resource cannot be sent as any media type the Accept header allows: the API sends"
                        + " application/json, and its live stream text/event-stream.";
            case 413 -> "The request is larger than the server accepts.";
            case 415 -> "The request's Content-Type is not accepted here.";
            case 431 -> "The request's headers are larger than the server accepts.";
            default -> status >= 500 ? "The server could not answer the request." : "The request was refused.";
        };
    }
}
