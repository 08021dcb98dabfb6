package dev.vigil.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put the artifacts under test (set by Surefire, see it/pom.xml). */
public final class Paths {

    private Paths() {
    }

    public static Path agentJar() {
        return existing("vigil.agentJar");
    }

    public static Path examplesJar() {
        return existing("vigil.examplesJar");
    }

    public static Path examplesSource() {
        return existing("vigil.examplesSrc");
    }

    /** A workload's runnable jar ({@code name} is {@code springService} or {@code jettyService}, see it/pom.xml). */
    public static Path workloadJar(String name) {
        return existing("vigil." + name + "Jar");
    }

    /** A workload's main sources (its planted bugs' marked lines). */
    public static Path workloadSource(String name) {
        return existing("vigil." + name + "Src");
    }

    /** The test classes of this module: fixtures run in child JVMs. */
    public static Path testClasses() {
        return Path.of("target/test-classes").toAbsolutePath();
    }

    /** The test sources of this module (fixtures' line numbers). */
    public static Path testSources() {
        return Path.of("src/test/java").toAbsolutePath();
    }

    private static Path existing(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven)");
        }
        Path p = Path.of(v).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException(property + ": " + p + " does not exist; build with mvn -B verify");
        }
        return p;
    }
}
