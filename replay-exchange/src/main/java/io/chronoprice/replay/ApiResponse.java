package io.chronoprice.replay;

import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON response before it is written, so that faults can be applied to the finished body. */
public record ApiResponse(int status, String jsonBody, Map<String, String> headers) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, String jsonBody) {
        return new ApiResponse(status, jsonBody, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, jsonBody, copy);
    }
}
