package io.chronoprice.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The writers' side of the accuracy prefix sums (migration V7): {@code prediction_accuracy()} is exact whether or not
 * they are current, but reads the rows of every hour changed since the last refresh, so whoever writes predictions
 * or candles refreshes them now and then (the job every registry poll, a backtest when it ends).
 */
public final class AccuracyRollups {

    private AccuracyRollups() {}

    /**
     * Recomputes the sums of every series changed since the last refresh, in its own transaction when the connection
     * is in auto-commit. Returns the number of series refreshed, or -1 when another refresh was running (what it did
     * not take waits for the next one).
     */
    public static int refresh(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT refresh_prediction_accuracy()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
