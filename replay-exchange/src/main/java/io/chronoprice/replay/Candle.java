package io.chronoprice.replay;

import java.math.BigDecimal;

/**
 * One recorded OHLCV candle. Prices and volume are kept as the {@link BigDecimal}s parsed from the file's plain
 * decimal strings: {@link BigDecimal#toPlainString()} gives back exactly the recorded text (scale included), so
 * the Binance endpoint serves the recorded strings unchanged.
 */
public record Candle(
        long openTimeMillis, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume) {}
