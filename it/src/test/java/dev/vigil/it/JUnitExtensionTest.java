package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JUnit extension in a test JVM that runs the packaged agent: the failure names where the
 * leaked threads were started and the finding the test created; a clean test passes, in parallel
 * mode too.
 */
class JUnitExtensionTest {

    private static final String CASES = "dev.vigil.it.fixtures.junit.AgentCases";

    @TempDir
    Path work;


    private static String childClasspath() throws IOException {
        String deps = Files.readString(Path.of(System.getProperty("vigil.testClasspath"))).trim();
        return Paths.testClasses() + java.io.File.pathSeparator + deps;
    }

    private Map<String, String> run(Jdk jdk, boolean parallel) throws IOException {
        ChildJvm child = ChildJvm.on(jdk, work.resolve(parallel ? "parallel" : "serial")).classpath(childClasspath())
                .agentOptions("threadGrowth=3,summary=false")
                .jvmArg("-Dcases.parallel=" + parallel)
                .main("dev.vigil.it.fixtures.junit.RunCases", CASES, parallel ? "parallel" : "serial");
        ChildJvm.Result r = child.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, String> outcome = new TreeMap<>();
        String[] blocks = r.stdout().split("END\n");
        for (String block : blocks) {
            if (block.startsWith("RESULT ")) {
                String[] head = block.split("\n", 2)[0].split(" ");
                outcome.put(head[1], head[2] + (block.contains("\n") ? "\n" + block.split("\n", 2)[1] : ""));
            }
        }
        assertThat(outcome).as(r.toString()).containsOnlyKeys("startsWorkersItNeverStops", "stopsItsWorker");
        return outcome;
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void withTheAgentTheFailureNamesTheStartSiteAndTheFinding(Jdk jdk) throws IOException {
        for (boolean parallel : new boolean[] {false, true}) {
            Map<String, String> outcome = run(jdk, parallel);
            String site = "AgentCases.java:" + markedLine();
            assertThat(outcome.get("stopsItsWorker")).as("parallel=" + parallel).isEqualTo("SUCCESSFUL\n");
            assertThat(outcome.get("startsWorkersItNeverStops")).as("parallel=" + parallel)
                    .startsWith("FAILED\nVigil: this test leaked 3 threads (still alive 300 ms after the test returned):")
                    .containsPattern("'agent-case-worker-0' \\(daemon, [A-Z_]+\\) started at " + site.replace(".", "\\."))
                    .contains("Vigil: this test created 1 finding at or above warning:\n  ERROR thread-leak [")
                    .contains("] 3 threads started at " + site + " alive at once from one site (limit threadGrowth=3)")
                    .doesNotContain("agent-case-clean");
        }
    }

    private static int markedLine() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/vigil/it/fixtures/junit/AgentCases.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("vigil:junit-leak")) {
                return i + 1;
            }
        }
        throw new AssertionError("no marked line");
    }
}
