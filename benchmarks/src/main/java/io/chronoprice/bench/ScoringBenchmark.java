package io.chronoprice.bench;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.features.WindowFeatures;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.OnnxModel;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.Predictor;
import io.chronoprice.job.window.CandleWindow;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Windows per second, on one thread, of three ways to score: bare ONNX Runtime on ready features (batch 1),
 * the job's scoring step (features + ORT + prediction row, what {@code PredictFunction} does per window),
 * and bare ORT at batch 64. Inputs are the real candle windows of the parity fixture; run from the
 * repository root with {@code -Dchronoprice.models=models}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScoringBenchmark {

    private static final int BATCH = 64;

    private OnnxModel model;
    private Predictor predictor;
    private List<CandleWindow> windows;
    private float[][] features;
    private float[] batch;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        windows = ParityFixture.load().cases().stream()
                .map(ParityFixture.Case::window)
                .toList();
        ModelArtifact artifact = ParityFixture.model();
        model = OnnxModel.load(artifact, "1m", 0);
        predictor = new Predictor(OnnxModel.load(artifact, "1m", 0), Clock.systemUTC());
        int stride = model.metadata().windowSize() * WindowFeatures.COUNT;
        features = new float[windows.size()][stride];
        batch = new float[BATCH * stride];
        for (int i = 0; i < windows.size(); i++) {
            WindowFeatures.computeInto(windows.get(i).candles(), features[i], 0);
        }
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(features[b % windows.size()], 0, batch, b * stride, stride);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        predictor.close();
    }

    @Benchmark
    public float[][] bareOrtBatch1() throws Exception {
        next = (next + 1) % features.length;
        return model.score(features[next], 1);
    }

    @Benchmark
    public Prediction jobScoringFunction() throws Exception {
        next = (next + 1) % windows.size();
        return predictor.predict(windows.get(next));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[][] bareOrtBatch64() throws Exception {
        return model.score(batch, BATCH);
    }
}
