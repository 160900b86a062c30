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
 * Windows per second, on one thread, of the work {@code Predictor} does per window besides the model: the spec-2
 * input tensor with the window's scale ({@code FeaturesV2.computeInto}) and the two baseline sigmas from one pass of
 * returns. Same 500 real 1m windows as {@link ScoringBenchmark}; run from the repository root with
 * {@code -Dchronoprice.models=models}.
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
