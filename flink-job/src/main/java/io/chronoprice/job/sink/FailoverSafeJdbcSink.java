package io.chronoprice.job.sink;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flink-connector-jdbc's sink, except that closing its writer never throws.
 *
 * <p>When PostgreSQL goes away, the JDBC writer's {@code close()} tries to flush its buffer once more and
 * rethrows the failure while the task is already failing over; Flink treats an exception in that path as fatal
 * and exits the whole TaskManager, so the job cannot restart until someone replaces it (see RELIABILITY.md,
 * finding 1). Swallowing the exception in {@code close()} loses nothing: every row is made durable by
 * {@code flush()}, which Flink calls on each checkpoint and at the end of input, and rows that were only
 * buffered are replayed from the last checkpoint and upserted onto themselves.
 */
final class FailoverSafeJdbcSink<T>
        implements Sink<T>, SupportsWriterState<T, JdbcWriterState>, SupportsCommitter<JdbcCommitable> {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverSafeJdbcSink.class);

    private final JdbcSink<T> delegate;

    FailoverSafeJdbcSink(JdbcSink<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public Writer<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(delegate.createWriter(context));
    }

    @Override
    public Writer<T> restoreWriter(WriterInitContext context, Collection<JdbcWriterState> state) throws IOException {
        return new Writer<>(delegate.restoreWriter(context, state));
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) throws IOException {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    /** The JDBC writer with a {@code close()} that logs instead of throwing. */
    static final class Writer<T>
            implements StatefulSinkWriter<T, JdbcWriterState>, CommittingSinkWriter<T, JdbcCommitable> {

        private final JdbcWriter<T> delegate;

        Writer(JdbcWriter<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            delegate.write(element, context);
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
        public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
            return delegate.prepareCommit();
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
