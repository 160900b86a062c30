package io.chronoprice.job.source.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the recorded response fixtures under {@code src/test/resources/source/}. They were built from the real
 * Binance BTCUSDT 1m candles of 2021-05-14 00:00-00:04 UTC in {@code replay-exchange/demo-data}, in each exchange's
 * own row format.
 */
final class Fixtures {
    private Fixtures() {}

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/source/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
