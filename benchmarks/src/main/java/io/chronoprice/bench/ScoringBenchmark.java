package io.chronoprice.bench;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.OnnxModel;
import io.chronoprice.job.scoring.Prediction;
import io.chronoprice.job.scoring.Predictor;
import io.chronoprice.job.scoring.RawForecast;
import io.chronoprice.job.serving.OnlineServing;
import io.chronoprice.job.serving.ServingParams;
import io.chronoprice.job.serving.ServingState;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Windows per second, on one thread, of four ways to score with a model (the shipped lstm-1m-v3 unless
 * {@code -p modelVersion=...} names another committed one): bare ONNX
 * Runtime on ready features (batch 1); the job's whole per-window path, features + ORT + raw forecast
 * ({@code PredictOperator} at batch 1) and then the online layers, guard and calibration ({@code ServeFunction});
 * bare ORT at batch 64; and the job's path at batch 64, as it scores while catching up. Inputs are 500 consecutive real 1m windows (models/testdata/2025), so every step of the
 * online layers settles its previous forecast. Run from the repository root with
 * {@code -Dchronoprice.models=models}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScoringBenchmark {

    private static final int BATCH = 64;

    @Param({"lstm-1m-v3"})
    public String modelVersion;

    private OnnxModel model;
    private Predictor predictor;
    private Predictor batchPredictor;
    private CandleWindow[] windowBatch;
    private List<CandleWindow> windows;
    private float[][] features;
    private float[] batch;
    private ServingState serving;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        windows = RealWindows.btcusdt().stream().map(CandleWindow::new).toList();
        ModelArtifact artifact = ParityFixture.model(modelVersion);
        model = OnnxModel.load(artifact, "1m", 0);
        predictor = new Predictor(OnnxModel.load(artifact, "1m", 0), Clock.systemUTC());
        batchPredictor = new Predictor(OnnxModel.load(artifact, "1m", 0), Clock.systemUTC(), BATCH);
        windowBatch = windows.subList(0, BATCH).toArray(new CandleWindow[0]);
        serving = new ServingState();
        int stride = model.inputSize();
        features = new float[windows.size()][stride];
        batch = new float[BATCH * stride];
        for (int i = 0; i < windows.size(); i++) {
            model.featureSpec().computeInto(windows.get(i).candles(), features[i], 0);
        }
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(features[b % windows.size()], 0, batch, b * stride, stride);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        predictor.close();
        batchPredictor.close();
    }

    @Benchmark
    public float[][] bareOrtBatch1() throws Exception {
        next = (next + 1) % features.length;
        return model.score(features[next], 1);
    }

    @Benchmark
    public Prediction jobScoringFunction() throws Exception {
        next = (next + 1) % windows.size();
        return OnlineServing.next(serving, predictor.forecast(windows.get(next)), ServingParams.DEFAULTS);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[][] bareOrtBatch64() throws Exception {
        return model.score(batch, BATCH);
    }

    /** The job's path when catching up: 64 windows per model call ({@code PredictOperator}), then serving each. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Prediction jobScoringBatch64() throws Exception {
        Prediction last = null;
        for (RawForecast forecast : batchPredictor.forecast(windowBatch, BATCH)) {
            last = OnlineServing.next(serving, forecast, ServingParams.DEFAULTS);
        }
        return last;
    }
}
