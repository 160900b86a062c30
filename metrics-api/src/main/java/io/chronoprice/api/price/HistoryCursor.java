package io.chronoprice.api.price;

import io.chronoprice.api.problem.ApiProblemException;
import io.chronoprice.api.problem.Params;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Keyset position in the history: the last (target time, model version) returned. Opaque to clients
 * (base64url of "epochSecond.nanos|modelVersion"), so that paging stays index-backed and never skips or
 * repeats rows that share a target time.
 */
record HistoryCursor(Instant targetOpenTime, String modelVersion) {

    /** Sorts before every row at or after {@code from}: timestamptz has microsecond precision. */
    static HistoryCursor before(Instant from) {
        return new HistoryCursor(from.minusNanos(1_000), "");
    }

    static HistoryCursor after(PredictionView row) {
        return new HistoryCursor(row.targetOpenTime(), row.modelVersion());
    }

    /**
     * The cursor a previous page returned, or {@link #before} {@code from} when there is none. Anything this API
     * cannot have issued is a 400 naming {@code cursor}, checked here rather than left to the database: a time
     * outside {@link Params#isSupported} or a NUL in the version would otherwise fail the query (a 503 for what is
     * the client's mistake). Issued means: the text re-encodes to exactly the given cursor, so there is one
     * spelling per position (no plus sign, leading zero, nanoseconds past a second or stray byte).
     */
    static HistoryCursor parse(@Nullable String cursor, Instant from) {
        if (cursor == null || cursor.isBlank()) {
            return before(from);
        }
        String given = cursor.strip();
        HistoryCursor parsed;
        try {
            String text = new String(Base64.getUrlDecoder().decode(given), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            String[] seconds = text.substring(0, bar).split("\\.", 2);
            parsed = new HistoryCursor(
                    Instant.ofEpochSecond(Long.parseLong(seconds[0]), Long.parseLong(seconds[1])),
                    text.substring(bar + 1));
        } catch (RuntimeException e) {
            throw foreign();
        }
        if (!parsed.encode().equals(withoutPadding(given))
                || !Params.isSupported(parsed.targetOpenTime)
                || parsed.modelVersion.chars().anyMatch(Character::isISOControl)) {
            throw foreign();
        }
        return parsed;
    }

    private static String withoutPadding(String base64) {
        int end = base64.length();
        while (end > 0 && base64.charAt(end - 1) == '=') {
            end--;
        }
        return base64.substring(0, end);
    }

    private static ApiProblemException foreign() {
        return ApiProblemException.badParameter("cursor", "Parameter 'cursor' is not a cursor this API issued.");
    }

    String encode() {
        String text = targetOpenTime.getEpochSecond() + "." + targetOpenTime.getNano() + "|" + modelVersion;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
