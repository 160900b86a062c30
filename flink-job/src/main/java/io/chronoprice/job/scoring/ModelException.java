package io.chronoprice.job.scoring;

/** A model artifact that is missing, unreadable or does not fit the job; stops the job at start. */
public class ModelException extends RuntimeException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
