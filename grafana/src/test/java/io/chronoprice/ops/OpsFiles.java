package io.chronoprice.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Finds and parses the files under test: the repository's grafana/ and deploy/ folders. */
final class OpsFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    private OpsFiles() {}

    /** The repository root: the first ancestor of the working directory holding grafana/dashboards. */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("grafana/dashboards")) && Files.isDirectory(p.resolve("deploy"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "No grafana/dashboards above " + Path.of("").toAbsolutePath());
    }

    static Path grafana() {
        return repoRoot().resolve("grafana");
    }

    static List<Path> dashboards() {
        return list(grafana().resolve("dashboards"), ".json");
    }

    static List<Path> list(Path dir, String... suffixes) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> Stream.of(suffixes)
                            .anyMatch(s -> f.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Invalid JSON in " + file, e);
        }
    }

    /** Every document of a (possibly multi-document) YAML file, with the safe constructor (no tags). */
    static List<Object> readYamlDocuments(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Object> docs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Object doc : yaml.loadAll(in)) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static Object readYaml(Path file) {
        List<Object> docs = readYamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " should hold one YAML document, not " + docs.size());
        }
        return docs.get(0);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
