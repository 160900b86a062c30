package io.chronoprice.job.sink;

import java.io.IOException;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flink-connector-jdbc's at-least-once sink as a plain writer: closing it never throws, and it has no committer.
 *
 * <p>When PostgreSQL goes away, the JDBC writer's {@code close()} tries to flush its buffer once more and
 * rethrows the failure while the task is already failing over; Flink treats an exception in that path as fatal
 * and exits the whole TaskManager, so the job cannot restart until someone replaces it (see RELIABILITY.md,
 * finding 1). Swallowing the exception in {@code close()} loses nothing: every row is made durable by
 * {@code flush()}, which Flink calls on each checkpoint and at the end of input, and rows that were only
 * buffered are replayed from the last checkpoint and upserted onto themselves.
 *
 * <p>The connector's {@code JdbcSink} always declares a committer and writer state, but in at-least-once mode its
 * writer returns no committables and no state, and its committer has nothing to commit. Declaring them anyway
 * costs a committer operator per sink subtask whose only effect is Flink 2.2's FLINK-35321: the committer copies
 * its {@code CommittableCollector} on every checkpoint, the copy registers the {@code pendingCommittables} gauge a
 * second time, and the TaskManager logs a metric name collision per sink subtask and checkpoint. So this sink
 * exposes only the writer. Exactly-once (XA) delivery would need the committer back; it is not used here.
 *
 * <p>A buffered row waits at most {@code flushDelayMs}: its write registers a processing-time timer that flushes
 * the buffer, unless a timer is pending already. The connector's own interval flush would instead wake a thread of
 * every writer every interval, rows or not, which an idle live job pays for nothing; this timer exists only while
 * rows wait.
 */
final class FailoverSafeJdbcSink<T> implements Sink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverSafeJdbcSink.class);

    private final JdbcSink<T> delegate;
    private final long flushDelayMs;

    /**
     * {@code delegate} must be an at-least-once sink ({@code JdbcSinkBuilder.buildAtLeastOnce}) without an interval
     * flush of its own ({@code withBatchIntervalMs(0)}).
     */
    FailoverSafeJdbcSink(JdbcSink<T> delegate, long flushDelayMs) {
        this.delegate = delegate;
        this.flushDelayMs = flushDelayMs;
    }

    @Override
    public Writer<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(delegate.createWriter(context), context.getProcessingTimeService(), flushDelayMs);
    }

    /** The JDBC writer with a timed flush, and a {@code close()} that logs instead of throwing. */
    static final class Writer<T> implements SinkWriter<T> {

        private final JdbcWriter<T> delegate;
        private final ProcessingTimeService time;
        private final long flushDelayMs;
        private boolean flushPending;

        Writer(JdbcWriter<T> delegate, ProcessingTimeService time, long flushDelayMs) {
            this.delegate = delegate;
            this.time = time;
            this.flushDelayMs = flushDelayMs;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            delegate.write(element, context);
            if (!flushPending) {
                flushPending = true;
                time.registerTimer(time.getCurrentProcessingTime() + flushDelayMs, now -> {
                    flushPending = false;
                    delegate.flush(false);
                });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            delegate.writeWatermark(watermark);
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } catch (Exception e) {
                LOG.warn("Closing the JDBC writer failed; unflushed rows are replayed from the last checkpoint", e);
            }
        }
    }
}
