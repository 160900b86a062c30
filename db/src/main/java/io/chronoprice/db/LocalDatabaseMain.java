package io.chronoprice.db;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local run's database: an embedded PostgreSQL on a fixed port with a kept data directory, migrated,
 * running until the process is stopped. Settings: CHRONOPRICE_PG_PORT (15329), CHRONOPRICE_PG_DATA_DIR
 * (.local/pgdata), CHRONOPRICE_DB_PASSWORD and CHRONOPRICE_DB_READER_PASSWORD.
 */
public final class LocalDatabaseMain {

    private LocalDatabaseMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("CHRONOPRICE_PG_PORT", String.valueOf(DbSettings.LOCAL_PORT)));
        Path dataDir = Path.of(env.getOrDefault("CHRONOPRICE_PG_DATA_DIR", ".local/pgdata"))
                .toAbsolutePath();
        EmbeddedDatabase db = EmbeddedDatabase.start(
                port,
                dataDir,
                DbSettings.writerFromEnv(env).password(),
                DbSettings.readerFromEnv(env).password());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            db.close();
            stopped.countDown();
        }));
        System.out.println("PostgreSQL ready: " + db.writer().jdbcUrl() + " (data in " + dataDir + ")");
        stopped.await();
    }
}
