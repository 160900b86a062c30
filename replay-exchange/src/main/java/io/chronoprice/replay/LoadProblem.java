package io.chronoprice.replay;

import java.nio.file.Path;

/**
 * Why a file was not loaded. {@code line} is the 1-based line number in the (decompressed) file, or 0 when the
 * problem concerns the whole file (its name, or an overlap with another file).
 */
public record LoadProblem(Path file, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
