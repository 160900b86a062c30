package io.chronoprice.api.problem;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses raw query strings. Controllers take every parameter as a nullable String and parse it here, so that a
 * bad value always becomes a 400 problem naming the parameter instead of a framework conversion error.
 */
public final class Params {

    private static final Pattern MODEL_VERSION = Pattern.compile("^[A-Za-z0-9._:+-]{1,100}$");

    private Params() {}

    /** An optional model version filter; null when absent. */
    @Nullable
    public static String modelVersion(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!MODEL_VERSION.matcher(value.strip()).matches()) {
            throw ApiProblemException.badParameter(
                    "model_version", "Parameter 'model_version' must match " + MODEL_VERSION.pattern() + ".");
        }
        return value.strip();
    }

    public static String required(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblemException.badParameter(name, "Parameter '" + name + "' is required.");
        }
        return value.strip();
    }

    /** An ISO-8601 instant with an offset, e.g. {@code 2021-05-14T00:00:00Z}; the default when absent. */
    public static Instant instant(String name, @Nullable String value, Instant absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblemException.badParameter(
                    name,
                    "Parameter '" + name + "' must be an ISO-8601 date-time with offset, e.g. 2021-05-14T00:00:00Z.");
        }
    }

    public static int intInRange(String name, @Nullable String value, int absent, int min, int max) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String message = "Parameter '" + name + "' must be an integer from " + min + " to " + max + ".";
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                throw ApiProblemException.badParameter(name, message);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiProblemException.badParameter(name, message);
        }
    }
}
