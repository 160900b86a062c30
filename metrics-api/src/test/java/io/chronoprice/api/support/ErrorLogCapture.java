package io.chronoprice.api.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects what any logger writes at ERROR (message, logger and the first line of a stack trace) while installed
 * on logback's root logger; {@link #close} takes it off again.
 */
public final class ErrorLogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public static ErrorLogCapture install() {
        ErrorLogCapture capture = new ErrorLogCapture();
        capture.setContext(capture.root.getLoggerContext());
        capture.setName("error-capture");
        capture.start();
        capture.root.addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            IThrowableProxy thrown = event.getThrowableProxy();
            errors.add(event.getLoggerName() + ": " + event.getFormattedMessage()
                    + (thrown == null ? "" : " [" + thrown.getClassName() + ": " + thrown.getMessage() + "]"));
        }
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
