package io.chronoprice.job.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flink-connector-jdbc's at-least-once sink, fed whole batches of rows, as a plain writer: closing it never throws,
 * and it has no committer.
 *
 * <p>The writer buffers rows and hands the connector one {@link BatchStatement.Rows} per batch, which the connector
 * writes at once, with its retries and reconnects, as a single statement. A batch is written when it holds
 * {@code batchRows} rows, {@code flushDelayMs} after a row arrives in an empty buffer (a processing-time timer, which
 * exists only while rows wait: the connector's own interval flush would wake a thread of every writer every interval,
 * rows or not, which an idle live job pays for nothing), on every checkpoint and at the end of input.
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
 */
final class FailoverSafeJdbcSink<T> implements Sink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverSafeJdbcSink.class);

    private final BatchStatement<T> statement;
    private final JdbcSink<BatchStatement.Rows> upserts;
    /** Null unless the job's rows are all new ({@link PostgresSinks.Keys#NEW}). */
    private final JdbcSink<BatchStatement.Rows> firstAttemptInserts;

    private final int batchRows;
    private final long flushDelayMs;

    FailoverSafeJdbcSink(
            BatchStatement<T> statement,
            JdbcConnectionOptions connection,
            int batchRows,
            long flushDelayMs,
            boolean newKeysOnly) {
        this.statement = statement;
        this.upserts = connector(statement.sql(), connection);
        this.firstAttemptInserts = newKeysOnly ? connector(statement.insertOnlySql(), connection) : null;
        this.batchRows = batchRows;
        this.flushDelayMs = flushDelayMs;
    }

    private static JdbcSink<BatchStatement.Rows> connector(String sql, JdbcConnectionOptions connection) {
        return JdbcSink.<BatchStatement.Rows>builder()
                .withQueryStatement(sql, (ps, rows) -> rows.bind(ps))
                // Each element is a whole batch already: the connector writes it as it comes.
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(1)
                        .withBatchIntervalMs(0)
                        .withMaxRetries(5)
                        .build())
                .buildAtLeastOnce(connection);
    }

    /**
     * With new keys only, a writer inserts while nothing can have been written before it: in the job's first
     * attempt, started from no checkpoint. Any later attempt replays the rows since its checkpoint, and upserts.
     */
    @Override
    public Writer<T> createWriter(WriterInitContext context) throws IOException {
        boolean firstAttempt = context.getRestoredCheckpointId().isEmpty()
                && context.getTaskInfo().getAttemptNumber() == 0;
        JdbcSink<BatchStatement.Rows> delegate =
                firstAttemptInserts != null && firstAttempt ? firstAttemptInserts : upserts;
        return new Writer<>(
                statement,
                delegate.createWriter(new BatchWriterContext(context)),
                context.getProcessingTimeService(),
                batchRows,
                flushDelayMs);
    }

    /** Buffers rows into batches for the JDBC writer, with a timed flush and a {@code close()} that logs. */
    static final class Writer<T> implements SinkWriter<T> {

        private final BatchStatement<T> statement;
        private final JdbcWriter<BatchStatement.Rows> delegate;
        private final ProcessingTimeService time;
        private final int batchRows;
        private final long flushDelayMs;
        private final List<T> buffer = new ArrayList<>();
        private boolean flushPending;

        Writer(
                BatchStatement<T> statement,
                JdbcWriter<BatchStatement.Rows> delegate,
                ProcessingTimeService time,
                int batchRows,
                long flushDelayMs) {
            this.statement = statement;
            this.delegate = delegate;
            this.time = time;
            this.batchRows = batchRows;
            this.flushDelayMs = flushDelayMs;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            buffer.add(element);
            if (buffer.size() >= batchRows) {
                writeBuffer();
            } else if (!flushPending) {
                flushPending = true;
                time.registerTimer(time.getCurrentProcessingTime() + flushDelayMs, now -> {
                    flushPending = false;
                    writeBuffer();
                });
            }
        }

        private void writeBuffer() throws IOException, InterruptedException {
            if (!buffer.isEmpty()) {
                BatchStatement.Rows rows = statement.rows(buffer);
                buffer.clear();
                // The JDBC writer reads no context, and a timer's flush has none to give.
                delegate.write(rows, null);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writeBuffer();
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

    /**
     * The sink's context for the connector's writer, whose input is batches, not the sink's rows. The connector
     * copies its input with the input serializer only when object reuse is on; batches are built for one write and
     * never reused, so it is told that object reuse is off and gets no serializer.
     */
    private record BatchWriterContext(WriterInitContext sink) implements WriterInitContext {
        @Override
        public boolean isObjectReuseEnabled() {
            return false;
        }

        @Override
        public <IN> TypeSerializer<IN> createInputSerializer() {
            return null;
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return sink.getUserCodeClassLoader();
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            return sink.getMailboxExecutor();
        }

        @Override
        public ProcessingTimeService getProcessingTimeService() {
            return sink.getProcessingTimeService();
        }

        @Override
        public SinkWriterMetricGroup metricGroup() {
            return sink.metricGroup();
        }

        @Override
        public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
            return sink.asSerializationSchemaInitializationContext();
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return sink.getRestoredCheckpointId();
        }

        @Override
        public JobInfo getJobInfo() {
            return sink.getJobInfo();
        }

        @Override
        public TaskInfo getTaskInfo() {
            return sink.getTaskInfo();
        }
    }
}
