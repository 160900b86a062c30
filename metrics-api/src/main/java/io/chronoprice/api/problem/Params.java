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

    /**
     * The instants a parameter may name: four-digit years, as ISO 8601 writes them without an agreement. Java
     * parses years up to +/-999999999 and PostgreSQL's timestamptz ends at 294276 AD, so a wider range would turn a
     * bad parameter into a failed query; no candle lies outside this one.
     */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** A model version's name, as the registry stores it (also the OpenAPI spec's pattern). */
    public static final String MODEL_VERSION_PATTERN = "^[A-Za-z0-9._:+-]{1,100}$";

    /** The OpenAPI description of every {@code model_version} parameter. */
    public static final String MODEL_VERSION_DOC =
            "A model version, e.g. lstm-1m-v3; default: the champion of the series' interval (the served forecast).";

    private static final Pattern MODEL_VERSION = Pattern.compile(MODEL_VERSION_PATTERN);

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
            throw ApiProblemException.badParameter(name, requiredDetail(name));
        }
        return value.strip();
    }

    /** The detail of a required parameter that is absent or blank. */
    static String requiredDetail(String name) {
        return "Parameter '" + name + "' is required.";
    }

    /**
     * An ISO-8601 instant with an offset, e.g. {@code 2021-05-14T00:00:00Z}, from {@link #EARLIEST} to
     * {@link #LATEST}; the default when absent.
     */
    public static Instant instant(String name, @Nullable String value, Instant absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        Instant parsed;
        try {
            parsed = OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw badInstant(name);
        }
        if (!isSupported(parsed)) {
            throw badInstant(name);
        }
        return parsed;
    }

    /** Whether an instant lies in [{@link #EARLIEST}, {@link #LATEST}], the range the database is asked about. */
    public static boolean isSupported(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    private static ApiProblemException badInstant(String name) {
        return ApiProblemException.badParameter(
                name,
                "Parameter '" + name + "' must be an ISO-8601 date-time with offset from " + EARLIEST + " to " + LATEST
                        + ", e.g. 2021-05-14T00:00:00Z.");
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
