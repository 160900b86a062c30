package io.chronoprice.replay;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * One recorded OHLCV candle. Prices and volume are kept as the {@link BigDecimal}s parsed from the file's plain
 * decimal strings: {@link BigDecimal#toPlainString()} gives back exactly the recorded text (scale included), so
 * the Binance endpoint serves the recorded strings unchanged.
 */
public record Candle(
        long openTimeMillis, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume) {

    /**
     * This candle as an exchange shows it while it is still open, at {@code nowMillis}: the files hold no
     * intra-candle data, so everything but its open is unknown yet and it is served flat at its open, with the
     * share of its volume that the elapsed part of the interval stands for. Its values differ from the closed
     * candle's (unless nothing moved), so a client that stored an open candle stores visibly wrong values.
     */
    public Candle inProgress(long nowMillis, long intervalMillis) {
        long elapsed = Math.max(0, Math.min(intervalMillis, nowMillis - openTimeMillis));
        BigDecimal share =
                BigDecimal.valueOf(elapsed).divide(BigDecimal.valueOf(intervalMillis), MathContext.DECIMAL64);
        BigDecimal traded = volume.multiply(share).setScale(volume.scale(), RoundingMode.DOWN);
        return new Candle(openTimeMillis, open, open, open, open, traded);
    }

    /** Whether the candle is still open at {@code nowMillis}. */
    public boolean isOpenAt(long nowMillis, long intervalMillis) {
        return openTimeMillis <= nowMillis && nowMillis < openTimeMillis + intervalMillis;
    }
}
