package io.chronoprice.job.registry;

import io.chronoprice.db.DbSettings;
import io.chronoprice.db.SchemaMigrations;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.ModelException;
import io.chronoprice.job.scoring.ModelMetadata;
import io.chronoprice.job.scoring.OnnxModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.FlywayException;

/**
 * {@code ./chronoprice model add FILE | promote VERSION | retire VERSION | list}: the registry for users. A file
 * is checked the way the job checks it (ONNX Runtime loads it, its metadata must fit a feature spec the job
 * implements, and it must score a window) before it is added; the running job picks every change up by itself.
 * Connects with the writer's settings from the environment (CHRONOPRICE_DB_URL, _USER, _PASSWORD).
 */
public final class ModelCli {

    static final String USAGE = String.join(
            "\n",
            "Usage: chronoprice model add FILE | promote VERSION | retire VERSION | list",
            "  add FILE         check an ONNX model export and register it as a challenger",
            "                   (as the champion if its candle interval has none)",
            "  promote VERSION  serve VERSION: it becomes the champion, the old champion a challenger",
            "  retire VERSION   stop scoring VERSION (its predictions stay); not the champion",
            "  list             every registered version with its status");

    private ModelCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command; returns the process exit code (0 done, 1 refused, 2 usage). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || (args.length != 2 && !(args.length == 1 && args[0].equals("list")))) {
            err.println(USAGE);
            return 2;
        }
        DbSettings db = DbSettings.writerFromEnv(env);
        ModelRegistry registry = new ModelRegistry(db);
        String actor = "cli:" + env.getOrDefault("USER", "unknown");
        try {
            SchemaMigrations.apply(db);
            switch (args[0]) {
                case "add" -> {
                    ModelArtifact artifact = ModelArtifact.fromFile(Path.of(args[1]));
                    ModelMetadata metadata;
                    try (OnnxModel model = OnnxModel.load(artifact, null, 0)) {
                        metadata = model.metadata();
                    }
                    ModelStatus status = registry.add(artifact, metadata, actor);
                    out.printf(
                            "%s (%s, %d candles x %d features, sha256 %s) is registered as %s%n",
                            metadata.version(),
                            metadata.interval(),
                            metadata.windowSize(),
                            metadata.featureNames().size(),
                            artifact.sha256(),
                            status.code());
                }
                case "promote" -> {
                    registry.promote(args[1], actor, "manual");
                    out.println(args[1] + " is the champion; the running job serves it from its next window");
                }
                case "retire" -> {
                    registry.retire(args[1], actor);
                    out.println(args[1] + " is retired; the running job stops scoring it within a poll interval");
                }
                case "list" -> print(registry.list(), out);
                default -> {
                    err.println("Unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (ModelException | RegistryException e) {
            err.println(e.getMessage());
            return 1;
        } catch (SQLException | FlywayException e) {
            err.println("Registry not reachable at " + db.jdbcUrl() + ": " + rootCause(e));
            return 1;
        }
    }

    /** The first line of the innermost cause: Flyway wraps a refused connection in a page of context. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return message.lines().findFirst().orElse(message);
    }

    private static void print(List<ModelRegistry.Entry> entries, PrintStream out) {
        out.printf("%-24s %-8s %-10s %-14s %10s  %s%n", "VERSION", "INTERVAL", "STATUS", "SHA256", "BYTES", "SINCE");
        for (ModelRegistry.Entry e : entries) {
            out.printf(
                    "%-24s %-8s %-10s %-14s %10d  %s%n",
                    e.version(),
                    e.interval(),
                    e.status().code(),
                    e.sha256().substring(0, 12),
                    e.artifactBytes(),
                    e.statusChangedAt());
        }
    }
}
