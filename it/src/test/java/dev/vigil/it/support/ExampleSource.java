package dev.vigil.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the example sources to find the lines marked {@code // vigil:expect KIND}: tests assert
 * that Vigil points at exactly those lines, so moving code in an example cannot silently break them.
 */
public final class ExampleSource {

    private ExampleSource() {
    }

    /** {@code File.java:N} of the single line in {@code className}'s source marked for {@code kind}. */
    public static String expectedLocation(String className, String kind) {
        List<String> all = expectedLocations(className, kind);
        if (all.size() != 1) {
            throw new IllegalStateException(className + " has " + all.size() + " lines marked vigil:expect " + kind);
        }
        return all.get(0);
    }

    /** As {@link #expectedLocation(String, String)}, for a class under another source root (a fixture's). */
    public static String expectedLocation(Path sourceRoot, String className, String kind) {
        List<String> all = expectedLocations(sourceRoot, className, kind);
        if (all.size() != 1) {
            throw new IllegalStateException(className + " has " + all.size() + " lines marked vigil:expect " + kind);
        }
        return all.get(0);
    }

    /** Every {@code File.java:N} in {@code className}'s source marked for {@code kind}, in order. */
    public static List<String> expectedLocations(String className, String kind) {
        return expectedLocations(Paths.examplesSource(), className, kind);
    }

    /** As {@link #expectedLocations(String, String)}, for a class under another source root (a workload's). */
    public static List<String> expectedLocations(Path sourceRoot, String className, String kind) {
        String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        Path file = sourceRoot.resolve(outer.replace('.', '/') + ".java");
        List<String> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            String marker = "vigil:expect " + kind;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int at = line.indexOf(marker);
                if (at >= 0 && (line.length() == at + marker.length()
                        || !Character.isLetterOrDigit(line.charAt(at + marker.length()))
                        && line.charAt(at + marker.length()) != '-')) {
                    out.add(file.getFileName() + ":" + (i + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code File.java:N} of the first line of test fixture {@code file} that contains {@code marker}. */
    public static String fixtureLine(String file, String marker) {
        try {
            List<String> source = Files.readAllLines(Path.of("src/test/java/dev/vigil/it/fixtures/" + file));
            return file + ":" + (1 + source.indexOf(source.stream().filter(l -> l.contains(marker)).findFirst().orElseThrow()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
