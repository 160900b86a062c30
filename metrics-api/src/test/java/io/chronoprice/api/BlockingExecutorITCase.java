package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.chronoprice.api.support.ApiITCaseSupport;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.executor.ExecutorConfiguration;
import io.micronaut.scheduling.executor.ExecutorType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The controllers' blocking executor has one thread per connection of the API's pool, so requests beyond them wait
 * for a thread in arrival order instead of racing for a connection inside the pool.
 */
@MicronautTest(transactional = false)
class BlockingExecutorITCase extends ApiITCaseSupport {

    @Inject
    @Named(TaskExecutors.BLOCKING)
    ExecutorService blocking;

    @Inject
    @Named(TaskExecutors.BLOCKING)
    ExecutorConfiguration configuration;

    @Inject
    DataSource dataSource;

    private int connections() {
        return ((HikariDataSource) DelegatingDataSource.unwrapDataSource(dataSource)).getMaximumPoolSize();
    }

    @Test
    void isAFixedPoolOfOneThreadPerDatabaseConnection() {
        assertThat(configuration.getType()).isEqualTo(ExecutorType.FIXED);
        assertThat(configuration.getNumberOfThreads()).isEqualTo(connections());
    }

    @Test
    void runsNoMoreTasksAtOnceThanThereAreConnections() throws Exception {
        int tasks = 3 * connections();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Future<?>[] submitted = new Future<?>[tasks];
        for (int i = 0; i < tasks; i++) {
            submitted[i] = blocking.submit(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                threads.add(Thread.currentThread().getName());
                try {
                    // The first tasks hold their threads until every thread is taken, so a pool that grows
                    // with demand would show it.
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                return null;
            });
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> running.get() >= connections());
        release.countDown();
        for (Future<?> f : submitted) {
            f.get(10, TimeUnit.SECONDS);
        }

        assertThat(mostAtOnce.get()).isEqualTo(connections());
        assertThat(threads).hasSize(connections());
    }
}
