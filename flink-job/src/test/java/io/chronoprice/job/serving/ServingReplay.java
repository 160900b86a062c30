package io.chronoprice.job.serving;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.Predictor;
import io.chronoprice.job.scoring.RawForecast;
import io.chronoprice.job.window.CandleWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the job serves for one series, computed without Flink: every gap-free window of the candles scored and
 * passed through the online layers in order. The expected side of the job's tests.
 */
public final class ServingReplay {

    private ServingReplay() {}

    public static List<Prediction> serve(List<Candle> candles, Predictor predictor, ServingParams params)
            throws Exception {
        return serve(candles, predictor, params, UnaryOperator.identity());
    }

    /** As {@link #serve(List, Predictor, ServingParams)}, with each raw forecast replaced by {@code model}'s. */
    public static List<Prediction> serve(
            List<Candle> candles, Predictor predictor, ServingParams params, UnaryOperator<RawForecast> model)
            throws Exception {
        int n = predictor.metadata().windowSize();
        long step = 60_000L;
        ServingState state = new ServingState();
        List<Prediction> served = new ArrayList<>();
        for (int end = n - 1; end < candles.size(); end++) {
            List<Candle> window = candles.subList(end - n + 1, end + 1);
            if (window.get(n - 1).openTimeMs() - window.get(0).openTimeMs() == (n - 1) * step) {
                RawForecast raw = model.apply(predictor.forecast(new CandleWindow(window.toArray(new Candle[0]))));
                served.add(OnlineServing.next(state, raw, params));
            }
        }
        return served;
    }

    /** The actual close of each prediction's target candle, or NaN where the series has none. */
    public static double[] actuals(List<Prediction> predictions, List<Candle> candles) {
        Map<Long, Double> close = new HashMap<>();
        candles.forEach(c -> close.put(c.openTimeMs(), c.close()));
        return predictions.stream()
                .mapToDouble(p -> close.getOrDefault(p.targetOpenTimeMs(), Double.NaN))
                .toArray();
    }
}
