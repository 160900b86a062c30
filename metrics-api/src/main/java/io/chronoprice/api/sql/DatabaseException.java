package io.chronoprice.api.sql;

import java.sql.SQLException;

/** An unchecked wrapper for a failed query, answered with 503 by the problem handler. */
public final class DatabaseException extends RuntimeException {

    public DatabaseException(String message, SQLException cause) {
        super(message, cause);
    }
}
