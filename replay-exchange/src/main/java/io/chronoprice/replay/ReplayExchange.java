package io.chronoprice.replay;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running replay exchange: the loaded candles, the virtual clock, the fault knobs and the HTTP server that serves
 * Binance paths under {@code /api/} and Coinbase paths ({@code /products/..}, {@code /time}) everywhere else.
 * Started by {@link ReplayExchangeMain} as a process, or embedded in tests via {@link #builder()}.
 */
public final class ReplayExchange implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReplayExchange.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;
    private final LoadResult loaded;
    private final VirtualClock clock;
    private final Faults faults;
    private final URI baseUri;
    private final AtomicLong openCandlesServed;

    private ReplayExchange(
            HttpServer server,
            ExecutorService executor,
            LoadResult loaded,
            VirtualClock clock,
            Faults faults,
            AtomicLong openCandlesServed) {
        this.server = server;
        this.openCandlesServed = openCandlesServed;
        this.executor = executor;
        this.loaded = loaded;
        this.clock = clock;
        this.faults = faults;
        InetSocketAddress address = server.getAddress();
        // A wildcard bind is reachable on loopback; "http://0.0.0.0:port" would not be a usable URL.
        String host = address.getAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress().getHostAddress()
                : address.getAddress().getHostAddress();
        this.baseUri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's root, e.g. {@code http://127.0.0.1:8090}; append {@code /api/v3/klines?..} etc. */
    public URI baseUri() {
        return baseUri;
    }

    /** Rows of candles still in progress served so far: a test that a client never keeps one needs some. */
    public long openCandlesServed() {
        return openCandlesServed.get();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public VirtualClock clock() {
        return clock;
    }

    /** The fault knobs; {@link Faults#configure} changes them while the server runs. */
    public Faults faults() {
        return faults;
    }

    public CandleStore store() {
        return loaded.store();
    }

    /** Files (or lines) that were not loaded, with file and line number. */
    public List<LoadProblem> loadProblems() {
        return loaded.problems();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Configures and starts a {@link ReplayExchange}. Only {@link #dataDir} is required. */
    public static final class Builder {
        private Path dataDir;
        private String bind = "127.0.0.1";
        private int port;
        private Instant startTime;
        private double speed = 1;
        private VirtualClock clock;
        private InstantSource realTime = InstantSource.system();
        private FaultConfig faults = FaultConfig.NONE;

        private Builder() {}

        /** The directory of candle files (see {@link CsvCandleLoader}). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The address to listen on; default 127.0.0.1. */
        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        /** The port; 0 (the default) picks a free one, see {@link ReplayExchange#port()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The virtual time at start; default {@link CandleStore#defaultStartTime()} (60 candles after the first
         * one). Not allowed with speed 0, where the clock stands at the end of the data.
         */
        public Builder startTime(Instant startTime) {
            this.startTime = startTime;
            return this;
        }

        /** Virtual seconds per real second; default 1; 0 means "max": every recorded candle is already closed. */
        public Builder speed(double speed) {
            this.speed = speed;
            return this;
        }

        /** Uses this clock instead of one built from {@link #startTime} and {@link #speed} (which are then ignored). */
        public Builder clock(VirtualClock clock) {
            this.clock = clock;
            return this;
        }

        /** The real time source for the virtual clock and the per-minute request weight; default the system clock. */
        public Builder realTime(InstantSource realTime) {
            this.realTime = realTime;
            return this;
        }

        public Builder faults(FaultConfig faults) {
            this.faults = faults;
            return this;
        }

        /**
         * Loads the data directory and starts serving.
         *
         * @throws IOException if the directory cannot be listed or the port cannot be bound
         * @throws IllegalStateException if no file in the directory could be loaded, or start time and speed 0
         *     were both given
         */
        public ReplayExchange start() throws IOException {
            Objects.requireNonNull(dataDir, "dataDir");
            LoadResult loaded = CsvCandleLoader.load(dataDir);
            loaded.problems().forEach(p -> LOG.log(Level.WARNING, "not loaded: {0}", p));
            if (loaded.store().isEmpty()) {
                throw new IllegalStateException("no candle file could be loaded from " + dataDir + ": "
                        + (loaded.problems().isEmpty() ? "no .csv or .csv.gz files" : loaded.problems()));
            }
            loaded.store()
                    .all()
                    .forEach(s -> LOG.log(
                            Level.INFO,
                            "loaded {0}: {1} candles, {2} .. {3}, {4} gap(s)",
                            s.key(),
                            s.size(),
                            Instant.ofEpochMilli(s.firstOpenTime()),
                            Instant.ofEpochMilli(s.lastOpenTime()),
                            s.gapCount()));
            VirtualClock virtualClock = clock != null ? clock : newClock(loaded.store());
            Faults faultKnobs = new Faults(faults);
            AtomicLong openCandlesServed = new AtomicLong();

            // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to each keep-alive response of the
            // JDK server (headers and body go out as separate writes). Read once, when the first server is created;
            // a value the user set is kept.
            if (System.getProperty("sun.net.httpserver.nodelay") == null) {
                System.setProperty("sun.net.httpserver.nodelay", "true");
            }
            HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
            ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
            server.setExecutor(executor);
            server.createContext(
                    "/api/",
                    new ExchangeHttpHandler(
                            new BinanceApi(
                                    loaded.store(), virtualClock, new RequestWeights(realTime), openCandlesServed),
                            faultKnobs));
            server.createContext(
                    "/",
                    new ExchangeHttpHandler(
                            new CoinbaseApi(loaded.store(), virtualClock, openCandlesServed), faultKnobs));
            // The longest matching context wins, so this path is never served by the faulty handlers above.
            server.createContext(FaultControlHandler.PATH, new FaultControlHandler(faultKnobs));
            server.start();
            ReplayExchange exchange =
                    new ReplayExchange(server, executor, loaded, virtualClock, faultKnobs, openCandlesServed);
            LOG.log(
                    Level.INFO,
                    "replay exchange listening on {0} (virtual time {1}, speed {2})",
                    exchange.baseUri(),
                    virtualClock.now(),
                    virtualClock.speed() == 0 ? "stopped" : virtualClock.speed());
            return exchange;
        }

        private VirtualClock newClock(CandleStore store) {
            if (speed == 0) {
                if (startTime != null) {
                    throw new IllegalStateException(
                            "a start time cannot be combined with speed max: the clock stands at the end of the data");
                }
                return new VirtualClock(store.endOfData(), 0, realTime);
            }
            long start = startTime != null ? startTime.toEpochMilli() : store.defaultStartTime();
            return new VirtualClock(start, speed, realTime);
        }

        private static ThreadFactory daemonThreads() {
            AtomicInteger count = new AtomicInteger();
            return runnable -> {
                Thread thread = new Thread(runnable, "replay-exchange-http-" + count.incrementAndGet());
                // Daemon threads: an embedding test JVM must be able to exit even if a test forgets close().
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
