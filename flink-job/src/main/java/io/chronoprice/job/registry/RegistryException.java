package io.chronoprice.job.registry;

/** A registry command that cannot be carried out as asked; its message says why, for the user. */
public class RegistryException extends RuntimeException {

    public RegistryException(String message) {
        super(message);
    }
}
