package io.chronoprice.backtest;

import io.chronoprice.common.series.SeriesId;
import io.chronoprice.db.AccuracyRollups;
import io.chronoprice.db.DbSettings;
import io.chronoprice.db.MonthlyPartitions;
import io.chronoprice.job.JobMain;
import io.chronoprice.job.JobOptions;
import io.chronoprice.job.scoring.ModelMetadata;
import io.chronoprice.replay.CandleSeries;
import io.chronoprice.replay.ReplayExchange;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./chronoprice backtest DIR [LABEL] [--export FILE]}: the streaming job, the same code path as live, run
 * bounded over a directory of candle files served at full speed by an embedded replay exchange, its rows filed
 * under {@code <exchange>@<label>}, then the report of what it stored (and, with --export, the forecasts as CSV).
 * Takes the job's flags ({@code --backtest DIR --run-label LABEL ...}); {@code --list} and {@code --drop LABEL} list
 * and delete stored runs ({@link BacktestRuns}).
 */
public final class BacktestMain {

    private static final Logger LOG = LoggerFactory.getLogger(BacktestMain.class);

    private BacktestMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--list") || args[0].equals("--drop"))) {
            System.exit(runs(args, DbSettings.writerFromEnv(System.getenv())));
            return;
        }
        JobOptions options;
        try {
            options = JobOptions.parse(args, System.getenv()).checked();
            if (!options.isBacktest()) {
                throw new IllegalArgumentException("--backtest DIR is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(options);
        } catch (JobMain.ClusterUnavailableException e) {
            LOG.debug("Backtest on {} failed", options.cluster(), e);
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /** {@code --list} or {@code --drop LABEL}; returns the exit status. */
    static int runs(String[] args, DbSettings db) throws SQLException {
        try (Connection c = db.connect()) {
            if (args[0].equals("--list") && args.length == 1) {
                System.out.println(
                        "| run label | candles | predictions | first candle | last candle |\n|---|---|---|---|---|");
                for (BacktestRuns.Run r : BacktestRuns.list(c)) {
                    System.out.printf(
                            "| %s | %d | %d | %s | %s |%n",
                            r.label(), r.candles(), r.predictions(), r.firstCandle(), r.lastCandle());
                }
                return 0;
            }
            if (args[0].equals("--drop") && args.length == 2) {
                long[] deleted = BacktestRuns.drop(c, args[1]);
                if (deleted[0] + deleted[1] + deleted[2] == 0) {
                    System.err.println("No backtest run labelled '" + args[1] + "' (see --list)");
                    return 1;
                }
                System.out.printf(
                        "Dropped backtest run %s: %d predictions, %d candles, %d gaps%n",
                        args[1], deleted[0], deleted[1], deleted[2]);
                return 0;
            }
            System.err.println("usage: backtest --list | --drop LABEL");
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }

    /**
     * Gives the months of the run's candles and forecasts (the last target is one interval after the last candle)
     * their partitions before the job writes them, so its rows land in their month. Not fatal: without them the rows
     * are kept in a gap partition, which a running job files into months at its next poll.
     */
    private static void ensurePartitions(JobOptions options, long firstOpenTime, long lastTarget) {
        try (Connection c = options.db().connect()) {
            int created =
                    MonthlyPartitions.ensure(c, Instant.ofEpochMilli(firstOpenTime), Instant.ofEpochMilli(lastTarget));
            LOG.info("{} monthly partition(s) created for the run", created);
        } catch (SQLException e) {
            LOG.warn(
                    "Monthly partitions for the run not created ({}); its rows are kept in a gap partition",
                    e.getMessage());
        }
    }

    static void run(JobOptions options) throws Exception {
        try (ReplayExchange replay = ReplayExchange.builder()
                .dataDir(options.backtestDataDir())
                .port(0)
                .speed(0)
                .start()) {
            List<CandleSeries> series = replay.store().all().stream()
                    .filter(s -> s.key().interval().code().equals(options.interval()))
                    .toList();
            List<String> symbols = series.stream().map(s -> s.key().symbol()).toList();
            long firstOpenTime = series.stream()
                    .mapToLong(CandleSeries::firstOpenTime)
                    .min()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "No " + options.interval() + " candles in " + options.backtestDataDir()));
            String label = SeriesId.backtestExchange(options.exchange(), options.runLabel());
            long lastTarget =
                    series.stream().mapToLong(CandleSeries::endOfData).max().orElseThrow();
            ensurePartitions(options, firstOpenTime, lastTarget);
            LOG.info("Backtest '{}' over {} ({})", options.runLabel(), options.backtestDataDir(), symbols);
            long candles = series.stream().mapToLong(CandleSeries::size).sum();
            long start = System.nanoTime();
            ModelMetadata model = JobMain.run(options, label, replay.baseUri().toString(), symbols, firstOpenTime);
            double seconds = (System.nanoTime() - start) / 1e9;
            // The run's rows become prefix sums at once, rather than at the next poll of a live job (if any).
            try (Connection c = options.db().connect()) {
                AccuracyRollups.refresh(c);
            }
            System.out.println("\nBacktest " + options.runLabel() + " (model " + model.version() + ", data "
                    + options.backtestDataDir() + "; educational use only)\n");
            System.out.printf(
                    "The job stored %,d candles and their forecasts in %.1f s (%,.0f candles/s, job start included;"
                            + " %s)%n%n",
                    candles,
                    seconds,
                    candles / seconds,
                    options.clusterAddress() == null ? "in-process cluster" : "on the cluster at " + options.cluster());
            System.out.println(BacktestReport.format(BacktestReport.compute(options.db(), label, model.version())));
            if (options.exportFile() != null) {
                long rows = BacktestReport.export(options.db(), label, model.version(), options.exportFile());
                System.out.println("Wrote " + rows + " forecasts to "
                        + options.exportFile().toAbsolutePath());
            }
        }
    }
}
