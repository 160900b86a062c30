package io.chronoprice.job.source.exchange;

/** Why a response or a single candle of it was not accepted; {@link #label()} names the metric subgroup. */
public enum RejectReason {
    /** The body is not the expected JSON (truncated, not JSON, wrong shape): the whole response is retried. */
    MALFORMED_RESPONSE("malformed-response"),
    MISSING_FIELD("missing-field"),
    UNPARSEABLE_FIELD("unparseable-field"),
    NON_FINITE_PRICE("non-finite-price"),
    NON_POSITIVE_PRICE("non-positive-price"),
    INCONSISTENT_RANGE("inconsistent-range"),
    /** Negative or not a finite number. */
    INVALID_VOLUME("invalid-volume"),
    OFF_GRID_TIME("off-grid-time"),
    /** Opens after the exchange's own clock: not the still-open candle, a wrong unit or a broken row. */
    FUTURE_TIME("future-time"),
    /** A second row for an open time already in the page, with other values; the first one is kept. */
    CONFLICTING_DUPLICATE("conflicting-duplicate");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
