package io.chronoprice.job.source.exchange;

import java.util.Optional;

/** The checks every candle passes before it is emitted, whatever exchange served it. */
final class CandleValidator {

    private CandleValidator() {}

    static Optional<RejectReason> validate(
            long openTimeMs, double open, double high, double low, double close, double volume, long intervalMs) {
        if (!Double.isFinite(open) || !Double.isFinite(high) || !Double.isFinite(low) || !Double.isFinite(close)) {
            return Optional.of(RejectReason.NON_FINITE_PRICE);
        }
        if (open <= 0 || high <= 0 || low <= 0 || close <= 0) {
            return Optional.of(RejectReason.NON_POSITIVE_PRICE);
        }
        if (high < low || high < Math.max(open, close) || low > Math.min(open, close)) {
            return Optional.of(RejectReason.INCONSISTENT_RANGE);
        }
        if (!Double.isFinite(volume) || volume < 0) {
            return Optional.of(RejectReason.INVALID_VOLUME);
        }
        if (Math.floorMod(openTimeMs, intervalMs) != 0) {
            return Optional.of(RejectReason.OFF_GRID_TIME);
        }
        return Optional.empty();
    }
}
