package io.chronoprice.replay;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the replay exchange as its own process until it is stopped (Ctrl-C / SIGTERM). Exit status 2 for a bad
 * command line, 1 if the exchange cannot start. See {@link CliOptions#USAGE}.
 */
public final class ReplayExchangeMain {
    private ReplayExchangeMain() {}

    public static void main(String[] args) throws InterruptedException {
        // One line per log record instead of java.util.logging's default two, unless the user configured logging.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        }
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(CliOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(CliOptions.USAGE);
            return;
        }
        ReplayExchange exchange;
        try {
            exchange = options.toBuilder().start();
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot start the replay exchange: " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exchange.close();
            stopped.countDown();
        }));
        // The HTTP threads are daemons, so the main thread is what keeps the process alive.
        stopped.await();
    }
}
