package dev.vigil.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDK the agent is tested on. Every agent test runs on JDK 17 (the JDK running Maven) and on the
 * JDK at {@code -Dvigil.jdk25} (Temurin 25 by default). A missing JDK fails the tests: CI installs it.
 */
public record Jdk(String name, Path home) {

    public static List<Jdk> all() {
        List<Jdk> jdks = new ArrayList<>();
        jdks.add(new Jdk("jdk" + Runtime.version().feature(), Path.of(System.getProperty("java.home"))));
        String jdk25 = System.getProperty("vigil.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64");
        Path home = Path.of(jdk25);
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalStateException("JDK 25 not found at " + home
                    + " (set -Dvigil.jdk25=<path>; .ci/run installs Temurin 25)");
        }
        jdks.add(new Jdk("jdk25", home));
        return jdks;
    }

    /** The JDK that runs the tests, for tests that need one JVM only. */
    public static Jdk current() {
        return all().get(0);
    }

    public Path java() {
        return home.resolve("bin/java");
    }

    @Override
    public String toString() {
        return name;
    }
}
