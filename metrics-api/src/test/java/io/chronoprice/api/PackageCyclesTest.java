package io.chronoprice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The feature packages depend on each other one way only: a cycle (as {@code price} and {@code symbols} once had)
 * means neither can be understood, tested or moved without the other. Read from the import lines of the main
 * sources, so it needs no bytecode tool.
 */
class PackageCyclesTest {

    private static final Path MAIN = Path.of("src/main/java/io/chronoprice/api");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.chronoprice\\.api\\.([a-z]+)\\.");

    @Test
    void featurePackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = dependencies();

        assertThat(uses).as("feature packages found").containsKeys("price", "symbols", "live", "metrics", "problem");
        assertThat(cycles(uses)).isEmpty();
    }

    @Test
    void theScanSeesACycleWhenThereIsOne() {
        Map<String, Set<String>> uses = Map.of("price", Set.of("symbols"), "symbols", Set.of("problem", "price"));

        assertThat(cycles(uses)).containsExactly(List.of("price", "symbols", "price"));
    }

    /** Package -> the other feature packages its classes import (same-package imports do not count). */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = MAIN.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the application class in the root package
                }
                String pkg = relative.getName(0).toString();
                Set<String> targets = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
                for (String line : Files.readAllLines(file)) {
                    Matcher m = IMPORT.matcher(line);
                    if (m.find() && !m.group(1).equals(pkg)) {
                        targets.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }

    /** Every cycle found by a depth-first walk from each package, as the path that closes it. */
    private static List<List<String>> cycles(Map<String, Set<String>> uses) {
        List<List<String>> found = new ArrayList<>();
        for (String start : new TreeSet<>(uses.keySet())) {
            walk(start, uses, new ArrayDeque<>(List.of(start)), found);
        }
        // Each cycle is found once from each of its members; keep the one that starts at its smallest name.
        return found.stream()
                .filter(c -> c.get(0).equals(c.stream().min(String::compareTo).orElseThrow()))
                .toList();
    }

    private static void walk(String at, Map<String, Set<String>> uses, Deque<String> path, List<List<String>> found) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(path.peekFirst())) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(next);
                found.add(cycle);
            } else if (!path.contains(next)) {
                path.addLast(next);
                walk(next, uses, path, found);
                path.removeLast();
            }
        }
    }
}
