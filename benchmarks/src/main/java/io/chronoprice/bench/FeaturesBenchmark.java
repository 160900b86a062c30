package io.chronoprice.bench;

import io.chronoprice.job.candle.Candle;
import io.chronoprice.job.features.FeaturesV2;
import io.chronoprice.job.features.WindowVolatility;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Windows per second, on one thread, of the work the job does per window besides the model: the spec-2 input
 * tensor, the window's scale and the two baseline sigmas. {@code reference} takes the readable route (the
 * features as {@code double[][]} cast to float, each measure from the candles on its own), {@code job} the
 * route {@code Predictor} takes ({@code FeaturesV2.computeInto}, the returns shared by both sigmas). Same 500
 * real 1m windows as {@link ScoringBenchmark}; run from the repository root with {@code -Dchronoprice.models=models}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FeaturesBenchmark {

    private List<Candle[]> windows;
    private float[] input;
    private int next;

    @Setup
    public void setUp() {
        windows = RealWindows.btcusdt();
        input = new float[60 * FeaturesV2.NAMES.size()];
    }

    @Benchmark
    public void reference(Blackhole bh) {
        Candle[] window = nextWindow();
        int i = 0;
        for (double[] row : FeaturesV2.INSTANCE.compute(window)) {
            for (double value : row) {
                input[i++] = (float) value;
            }
        }
        bh.consume(input);
        bh.consume(FeaturesV2.INSTANCE.outputScale(window));
        bh.consume(WindowVolatility.scale(window));
        bh.consume(WindowVolatility.rollingSigma(window));
        bh.consume(WindowVolatility.ewmaSigma(window));
    }

    @Benchmark
    public void job(Blackhole bh) {
        Candle[] window = nextWindow();
        bh.consume(FeaturesV2.INSTANCE.computeInto(window, input, 0));
        bh.consume(input);
        double[] returns = WindowVolatility.logReturns(window);
        bh.consume(WindowVolatility.rollingSigma(returns));
        bh.consume(WindowVolatility.ewmaSigma(returns));
    }

    private Candle[] nextWindow() {
        next = (next + 1) % windows.size();
        return windows.get(next);
    }
}
