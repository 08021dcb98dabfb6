package dev.vigil.agent.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which classes are the application's: the frames a user edits and, later, the classes
 * whose {@code synchronized} blocks are instrumented. The JDK and Vigil itself never are.
 * Patterns are class names with {@code *} (any characters) and {@code ?} (one character),
 * separated by {@code :}, as in JaCoCo's {@code includes}.
 */
public final class PackageFilter {

    private static final String[] PLATFORM_PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.ietf.jgss.", "org.w3c.dom.", "org.xml.sax.",
        "dev.vigil.agent.", "dev.vigil.bootstrap.", "dev.vigil.report.", "dev.vigil.shaded.",
    };

    /**
     * Test runners: Surefire, Failsafe, the JUnit Platform, Gradle's test workers, IntelliJ's and
     * Eclipse's launchers; and Mockito. Their threads and pools are the runner's, not the code under test's:
     * never application classes unless {@code include} names them explicitly (docs/lifecycle.md).
     * Also the launcher of an executable jar, Spring Boot's {@code JarLauncher} and the class
     * loader it reads nested jars with: the program's class loading, like the JDK's own. Its
     * monitors are taken for every class and resource a Boot application loads (two thirds of
     * the lock hooks a Spring Boot service runs while it starts, docs/PERFORMANCE.md).
     */
    private static final String[] TEST_RUNNER_PREFIXES = {
        "org.apache.maven.surefire.", "org.apache.maven.plugin.surefire.", "org.apache.maven.plugin.failsafe.",
        "org.apache.maven.failsafe.", "org.junit.platform.", "org.gradle.", "worker.org.gradle.",
        "com.intellij.rt.", "org.eclipse.jdt.internal.junit",
        // Mockito: its mock makers' own locks and caches (and the mock classes it generates) are
        // the test tooling's, not the code under test's (issue 15 part 4).
        "org.mockito.",
        "org.springframework.boot.loader.",
    };

    private final Pattern[] includes;
    private final Pattern[] excludes;

    private PackageFilter(Pattern[] includes, Pattern[] excludes) {
        this.includes = includes;
        this.excludes = excludes;
    }

    /** Every non-JDK class is application. */
    public static PackageFilter all() {
        return new PackageFilter(new Pattern[0], new Pattern[0]);
    }

    public static PackageFilter of(String includes, String excludes) {
        return new PackageFilter(compile("include", includes), compile("exclude", excludes));
    }

    /** True for classes of the JDK or of Vigil, whatever the patterns say. */
    public static boolean isPlatform(String className) {
        for (String p : PLATFORM_PREFIXES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** True for the classes of a test runner (see {@link #TEST_RUNNER_PREFIXES}). */
    public static boolean isTestRunner(String className) {
        for (String p : TEST_RUNNER_PREFIXES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    public boolean isApplication(String className) {
        if (className == null || isPlatform(className)) {
            return false;
        }
        if (includes.length > 0 && !matchesAny(includes, className)) {
            return false;
        }
        if (includes.length == 0 && isTestRunner(className)) {
            return false;
        }
        return !matchesAny(excludes, className);
    }

    private static boolean matchesAny(Pattern[] patterns, String className) {
        for (Pattern p : patterns) {
            if (p.matcher(className).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern[] compile(String option, String spec) {
        List<Pattern> out = new ArrayList<>();
        if (spec != null) {
            for (String p : spec.split(":")) {
                String t = p.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (!t.matches("[\\w.$*?]+")) {
                    throw new IllegalArgumentException("option '" + option + "': '" + t
                            + "' is not a class name pattern (letters, digits, '.', '$', '*', '?')");
                }
                StringBuilder re = new StringBuilder();
                for (char c : t.toCharArray()) {
                    switch (c) {
                        case '*' -> re.append(".*");
                        case '?' -> re.append('.');
                        case '.', '$' -> re.append('\\').append(c);
                        default -> re.append(c);
                    }
                }
                out.add(Pattern.compile(re.toString()));
            }
        }
        return out.toArray(new Pattern[0]);
    }
}
