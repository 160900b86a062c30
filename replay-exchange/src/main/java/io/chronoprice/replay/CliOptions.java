package io.chronoprice.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The command line of {@link ReplayExchangeMain}, parsed and validated; {@link #USAGE} documents it. */
record CliOptions(
        boolean help, int port, String bind, Path dataDir, Instant startTime, double speed, FaultConfig faults) {

    /** Where the demo data is looked for when {@code --data-dir} is not given, relative to the working directory. */
    static final List<Path> DEFAULT_DATA_DIRS = List.of(Path.of("replay-exchange", "demo-data"), Path.of("demo-data"));

    static final String USAGE = """
            Usage: java -cp chronoprice-replay-exchange.jar io.chronoprice.replay.ReplayExchangeMain [options]

            Replays recorded candles over HTTP in Binance (/api/v3/klines, /api/v3/time, /api/v3/ping) and
            Coinbase Exchange (/products/{id}/candles, /time) formats, on a virtual clock.

              --port N               port to listen on (default 8090; 0 = a free port)
              --bind ADDR            address to listen on (default 127.0.0.1)
              --data-dir DIR         directory of binance_spot_<SYMBOL>_<interval>[_x].csv[.gz] files
                                     (default: replay-exchange/demo-data, else demo-data, under the working dir)
              --start TIME           virtual start time, ISO-8601 (2021-05-14T01:00:00Z) or epoch ms
                                     (default: the latest first candle of all series + 60 intervals)
              --speed X|max          virtual seconds per real second (default 1; 60 = a minute per second);
                                     max (or 0) = the clock stands at the end of the data, every candle is closed
            Fault injection (all off by default):
              --fault-5xx F          fraction of requests answered 500/502/503
              --fault-429 F          fraction of requests answered 429 with Retry-After
              --retry-after S        Retry-After seconds for those 429s (default 1)
              --fault-malformed F    fraction answered 200 with a body that is not valid JSON
              --fault-truncated F    fraction whose body is cut off mid-stream (connection closed)
              --delay-ms MS          delay added to responses (default 0)
              --delay-fraction F     fraction of responses that get the delay (default 1)
              --seed N               seed for choosing the faulty requests (default 1)
              --help                 print this help
            While it runs, POST /replay/faults?fault-5xx=0.2&... (the fault options without the dashes) replaces
            the faults, GET /replay/faults shows them; that path itself is never faulty.
            """;

    static CliOptions parse(String... args) {
        int port = 8090;
        String bind = "127.0.0.1";
        Path dataDir = null;
        Instant startTime = null;
        double speed = 1;
        FaultConfig faults = FaultConfig.NONE;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return new CliOptions(true, port, bind, dataDir, startTime, speed, faults);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        flag.startsWith("--") ? "missing value for " + flag : "unknown argument: " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = (int) integer(flag, value, 0, 65535);
                case "--bind" -> bind = value;
                case "--data-dir" -> dataDir = Path.of(value);
                case "--start" -> startTime = instant(value);
                case "--speed" -> speed = value.equals("max") ? 0 : number(flag, value, 0, Double.MAX_VALUE);
                default -> faults = withFault(faults, flag, value);
            }
        }
        if (speed == 0 && startTime != null) {
            throw new IllegalArgumentException("--start cannot be combined with --speed max");
        }
        return new CliOptions(
                false, port, bind, dataDir == null ? defaultDataDir() : dataDir, startTime, speed, faults);
    }

    /**
     * One fault option ({@code --fault-5xx} .. {@code --seed}) applied to {@code faults}; also used by the fault
     * control endpoint, whose parameters are these options without the dashes.
     *
     * @throws IllegalArgumentException for an unknown option or a value out of range
     */
    static FaultConfig withFault(FaultConfig faults, String flag, String value) {
        return switch (flag) {
            case "--fault-5xx" -> faults.withServerErrors(fraction(flag, value));
            case "--fault-429" -> faults.withTooManyRequests(fraction(flag, value), faults.retryAfterSeconds());
            case "--retry-after" ->
                faults.withTooManyRequests(
                        faults.tooManyRequestsFraction(), (int) integer(flag, value, 0, Integer.MAX_VALUE));
            case "--fault-malformed" -> faults.withMalformedBodies(fraction(flag, value));
            case "--fault-truncated" -> faults.withTruncatedBodies(fraction(flag, value));
            case "--delay-ms" -> faults.withDelay(integer(flag, value, 0, Long.MAX_VALUE), faults.delayFraction());
            case "--delay-fraction" -> faults.withDelay(faults.delayMillis(), fraction(flag, value));
            case "--seed" -> faults.withSeed(integer(flag, value, Long.MIN_VALUE, Long.MAX_VALUE));
            default -> throw new IllegalArgumentException("unknown option: " + flag);
        };
    }

    ReplayExchange.Builder toBuilder() {
        return ReplayExchange.builder()
                .port(port)
                .bind(bind)
                .dataDir(dataDir)
                .startTime(startTime)
                .speed(speed)
                .faults(faults);
    }

    private static Path defaultDataDir() {
        return DEFAULT_DATA_DIRS.stream()
                .filter(Files::isDirectory)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no --data-dir given and none of " + DEFAULT_DATA_DIRS
                        + " exists under " + Path.of("").toAbsolutePath()));
    }

    private static Instant instant(String value) {
        try {
            return value.matches("[0-9]{1,18}") ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--start must be ISO-8601 (e.g. 2021-05-14T01:00:00Z) or epoch ms: " + value);
        }
    }

    private static double fraction(String flag, String value) {
        return number(flag, value, 0, 1);
    }

    private static double number(String flag, String value, double min, double max) {
        try {
            double d = Double.parseDouble(value);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(flag + " must be a number in [" + min + ", " + max + "]: " + value);
    }

    private static long integer(String flag, String value, long min, long max) {
        try {
            long l = Long.parseLong(value);
            if (l >= min && l <= max) {
                return l;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(flag + " must be an integer in [" + min + ", " + max + "]: " + value);
    }
}
