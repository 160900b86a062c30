package io.chronoprice.job.source.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Predicate;

/** Reading the exchanges' array-of-arrays candle bodies, field by field, without throwing on a bad row. */
final class JsonRows {
    // Content after the JSON value (an HTML footer, a second document) means the body is not what was asked for.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonRows() {}

    /** The body as a JSON array, or a {@link MalformedResponseException} naming what was wrong. */
    static JsonNode readArray(String body, String what) throws MalformedResponseException {
        return read(body, what, JsonNode::isArray, "array");
    }

    /** The body as a JSON object, or a {@link MalformedResponseException}. */
    static JsonNode readObject(String body, String what) throws MalformedResponseException {
        return read(body, what, JsonNode::isObject, "object");
    }

    private static JsonNode read(String body, String what, Predicate<JsonNode> expected, String expectedName)
            throws MalformedResponseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedResponseException(
                    what + ": body is not valid JSON: " + ExchangeHttp.abbreviate(body), e);
        }
        if (root == null || !expected.test(root)) {
            throw new MalformedResponseException(
                    what + ": expected a JSON " + expectedName + " but got " + ExchangeHttp.abbreviate(body), null);
        }
        return root;
    }

    /** Signals a row field that is absent or cannot be read as a number. */
    static final class BadField extends Exception {
        private static final long serialVersionUID = 1L;

        final RejectReason reason;

        BadField(RejectReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** An integral field (a time), as Binance and Coinbase send it: a JSON number. */
    static long longField(JsonNode row, int index, String name) throws BadField {
        JsonNode node = row.get(index);
        if (node == null || node.isNull()) {
            throw new BadField(RejectReason.MISSING_FIELD, name + " is missing");
        }
        if (!node.isIntegralNumber()) {
            throw new BadField(RejectReason.UNPARSEABLE_FIELD, name + " is not an integer: " + node);
        }
        if (!node.canConvertToLong()) {
            throw new BadField(RejectReason.UNPARSEABLE_FIELD, name + " is out of range: " + node);
        }
        return node.asLong();
    }

    /** An integral field in seconds, as milliseconds; a value whose milliseconds overflow is out of range. */
    static long secondsFieldAsMillis(JsonNode row, int index, String name) throws BadField {
        long seconds = longField(row, index, name);
        try {
            return Math.multiplyExact(seconds, 1000L);
        } catch (ArithmeticException e) {
            throw new BadField(RejectReason.UNPARSEABLE_FIELD, name + " is out of range: " + seconds);
        }
    }

    /** A decimal field, sent as a JSON string by Binance and as a JSON number by Coinbase. */
    static double doubleField(JsonNode row, int index, String name) throws BadField {
        JsonNode node = row.get(index);
        if (node == null || node.isNull()) {
            throw new BadField(RejectReason.MISSING_FIELD, name + " is missing");
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                // Double.parseDouble also accepts "NaN" and "Infinity": the validator rejects those by name.
                return Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                throw new BadField(RejectReason.UNPARSEABLE_FIELD, name + " is not a number: " + node);
            }
        }
        throw new BadField(RejectReason.UNPARSEABLE_FIELD, name + " is not a number: " + node);
    }
}
