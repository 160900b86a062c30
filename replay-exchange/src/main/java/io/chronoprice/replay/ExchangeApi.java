package io.chronoprice.replay;

/**
 * One exchange's REST dialect: its endpoints and the body it uses for errors, so that injected faults and
 * unexpected failures look like that exchange's own errors.
 */
interface ExchangeApi {
    /** Answers a GET request; never throws for bad input (that is a 4xx response). */
    ApiResponse handle(ApiRequest request);

    /** The exchange's error response for {@code status} (404, 405, 429, 5xx) when there is no more specific one. */
    ApiResponse error(int status);
}
