package io.chronoprice.api.problem;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error responses of the OpenAPI spec, each an {@code application/problem+json} {@link ApiProblem}, grouped by
 * the kind of endpoint they apply to (swagger annotations used as meta-annotations, so each is written once).
 */
public final class ProblemResponses {

    private ProblemResponses() {}

    /** An endpoint that reads one series: refused parameters, unknown symbols, and everything a list can answer. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(
            responseCode = "400",
            description = "A parameter is missing or malformed (the problem's 'parameter' names it), or the request"
                    + " itself is (undecodable percent-encoding).",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "The symbol has no candles or predictions, the series has no rows of what was asked, or"
                    + " the interval has no champion to default to ('parameter' says which).",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblem.class)))
    @ForEveryEndpoint
    public @interface ForSeries {}

    /** Any endpoint: the read-only API's 405, an unacceptable Accept header, and a database that cannot answer. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(
            responseCode = "405",
            description = "Any method but GET and HEAD on this path: the API is read-only.",
            headers = @Header(name = "Allow", description = "GET, HEAD", schema = @Schema(type = "string")),
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblem.class)))
    @ApiResponse(
            responseCode = "406",
            description = "The Accept header excludes the media type this endpoint sends.",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblem.class)))
    @ApiResponse(
            responseCode = "503",
            description = "The database could not answer (the cause is logged, not sent).",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblem.class)))
    public @interface ForEveryEndpoint {}
}
