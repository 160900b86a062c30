package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chronoprice.api.support.ApiITCaseSupport;
import io.chronoprice.api.support.TestDatabase;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The API's own data source is the read-only role: it reads, PostgreSQL refuses its writes and its temporary tables,
 * and cancels any of its statements after 5 s (migration V6), while the writer keeps no limit.
 */
@MicronautTest(transactional = false)
class ReadOnlyRoleITCase extends ApiITCaseSupport {

    @Inject
    DataSource dataSource;

    /**
     * The pool behind the injected data source: Micronaut Data wraps it so that it hands out the connection of
     * the surrounding {@code @Connectable}/{@code @Transactional} scope, and this test has none.
     */
    private DataSource pool() {
        return DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Test
    void connectsAsTheReaderRole() throws Exception {
        try (Connection c = pool().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_user, count(*) FROM candles")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("chronoprice_reader");
            assertThat(rs.getLong(2)).isPositive();
        }
    }

    @Test
    void sessionsUseGenericPlansAndNoParallelWorkers() throws Exception {
        try (Connection c = pool().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('plan_cache_mode'),"
                        + " current_setting('max_parallel_workers_per_gather')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("force_generic_plan");
            assertThat(rs.getString(2)).isEqualTo("0");
        }
    }

    @Test
    void cannotWriteMarketData() throws Exception {
        try (Connection c = pool().getConnection();
                Statement st = c.createStatement()) {
            SQLException refused = catchThrowableOfType(
                    SQLException.class,
                    () -> st.executeUpdate("INSERT INTO candles (exchange, symbol, interval, open_time, open, high,"
                            + " low, close, volume) VALUES ('binance', 'BTCUSDT', '1m', now(), 1, 1, 1, 1, 0)"));
            // 42501 insufficient_privilege: refused by the role's grants, not by some client-side setting.
            assertThat(refused.getSQLState()).isEqualTo("42501");
        }
    }

    @Test
    void hasNoTemporaryTablesAndAFiveSecondStatementTimeout() throws Exception {
        try (Connection c = pool().getConnection();
                Statement st = c.createStatement()) {
            assertThat(show(st, "statement_timeout")).isEqualTo("5s");
            SQLException refused =
                    catchThrowableOfType(SQLException.class, () -> st.execute("CREATE TEMP TABLE scratch (id int)"));
            assertThat(refused.getSQLState()).isEqualTo("42501");
        }
    }

    @Test
    void theWriterHasNoStatementTimeout() throws Exception {
        try (Connection c = TestDatabase.writer();
                Statement st = c.createStatement()) {
            assertThat(show(st, "statement_timeout")).isEqualTo("0");
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
