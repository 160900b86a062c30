package io.chronoprice.api.price;

import io.chronoprice.api.problem.ApiProblemException;
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

    static HistoryCursor parse(@Nullable String cursor, Instant from) {
        if (cursor == null || cursor.isBlank()) {
            return before(from);
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            String[] seconds = text.substring(0, bar).split("\\.", 2);
            return new HistoryCursor(
                    Instant.ofEpochSecond(Long.parseLong(seconds[0]), Long.parseLong(seconds[1])),
                    text.substring(bar + 1));
        } catch (RuntimeException e) {
            throw ApiProblemException.badParameter("cursor", "Parameter 'cursor' is not a cursor this API issued.");
        }
    }

    String encode() {
        String text = targetOpenTime.getEpochSecond() + "." + targetOpenTime.getNano() + "|" + modelVersion;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
