package io.chronoprice.job.scoring;

import java.io.Serializable;

/**
 * How {@link PredictOperator} batches windows: at most {@code maxBatch} windows per model call, the first of them
 * held at most {@code maxWaitMs} of processing time. {@code maxBatch} 1 scores each window as it comes.
 */
public record ScoreBatching(int maxBatch, long maxWaitMs) implements Serializable {

    /**
     * Batch 64 scores 2-3x the windows per second of batch 1 (BENCHMARKS.md). Every model call has the full size
     * (see {@link Predictor}), so a live window alone costs a 64-window call: about 5 ms, once a minute per series.
     */
    public static final ScoreBatching DEFAULT = new ScoreBatching(64, 5);

    public static final ScoreBatching OFF = new ScoreBatching(1, 0);

    public ScoreBatching {
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("the scoring batch must be 1..4096 windows, not " + maxBatch);
        }
        if (maxWaitMs < 0 || maxWaitMs > 1000) {
            throw new IllegalArgumentException("the scoring batch wait must be 0..1000 ms, not " + maxWaitMs);
        }
    }
}
