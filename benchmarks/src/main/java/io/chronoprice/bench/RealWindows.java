package io.chronoprice.bench;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.source.DemoData;
import java.util.ArrayList;
import java.util.List;

/** The benchmarks' inputs: 500 consecutive real 1m windows of 60 candles (models/testdata/2025, BTCUSDT). */
final class RealWindows {

    private RealWindows() {}

    static List<Candle[]> btcusdt() {
        List<Candle> candles = DemoData.read(
                        ParityFixture.MODELS_DIR.resolve("testdata/2025/binance_spot_BTCUSDT_1m.csv.gz"),
                        "binance",
                        "BTCUSDT")
                .subList(0, 560);
        List<Candle[]> windows = new ArrayList<>();
        for (int end = 60; end <= candles.size(); end++) {
            windows.add(candles.subList(end - 60, end).toArray(new Candle[0]));
        }
        return windows;
    }
}
