package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15 part 4: Mockito mocks and spies of what Vigil tracks (fixture {@code Mocks}: locks,
 * semaphores, latches, executors, queues, a thread; the inline and the subclass mock maker).
 * Under the agent the program behaves as without it (every {@code verify} and
 * {@code verifyNoMoreInteractions} still holds: the agent made no call on a mock), the agent
 * has no internal error, and the only finding is the real permit the program leaks.
 */
class MocksTest {

    @TempDir
    Path work;

    private static final String EXPECTED_STDOUT = String.join("\n",
            "inline lock tryLock true false", "inline lock threw stubbed", "inline locks verified",
            "inline semaphore verified true 0", "inline latch verified false", "inline executors verified true 0",
            "inline queues verified stubbed",
            "subclass lock tryLock true false", "subclass lock threw stubbed", "subclass locks verified",
            "subclass semaphore verified true 0", "subclass latch verified false",
            "subclass executors verified true 0", "subclass queues verified stubbed",
            "thread verified", "spies verified false 1 job done true", "real permits left 1", "");

    private static String childClasspath() throws IOException {
        return Paths.testClasses() + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("vigil.testClasspath"))).trim();
    }

    /** Mockito's jar, which is also its agent (Mockito's advice for JDK 21+, where self-attaching warns). */
    private static String mockitoJar() throws IOException {
        String cp = childClasspath();
        return Arrays.stream(cp.split(File.pathSeparator)).filter(p -> p.contains("mockito-core"))
                .findFirst().orElseThrow(() -> new AssertionError("mockito-core is not on " + cp));
    }

    private ChildJvm child(Jdk jdk, String dir, boolean mockitoAgent) throws IOException {
        ChildJvm c = ChildJvm.on(jdk, work.resolve(dir)).classpath(childClasspath())
                .main("dev.vigil.it.fixtures.Mocks");
        return mockitoAgent ? c.jvmArg("-javaagent:" + mockitoJar()) : c;
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void mocksAndSpiesOfTrackedTypesAreNoFindingsAndSeeNoCallsOfTheAgent(Jdk jdk) throws IOException {
        String realPermit = ExampleSource.fixtureLine("Mocks.java", "vigil:mocks-real-permit");
        // Mockito attaches itself (JDK 17's way), or is an agent beside Vigil (its advice for JDK 21+).
        for (boolean mockitoAgent : new boolean[] {false, true}) {
            String mode = mockitoAgent ? "mockito agent" : "self-attached";
            ChildJvm.Result plain = child(jdk, mode + "-plain", mockitoAgent).withoutAgent().run();
            assertThat(plain.exitCode()).as(mode + ": " + plain).isZero();
            assertThat(plain.stdout()).as(mode).isEqualTo(EXPECTED_STDOUT);

            ChildJvm.Result agent = child(jdk, mode + "-agent", mockitoAgent).run();
            assertThat(agent.stdout()).as(mode + ": " + agent).isEqualTo(plain.stdout());
            assertThat(agent.exitCode()).as(mode + ": " + agent).isEqualTo(plain.exitCode());
            assertThat(agent.stderrWithoutVigil()).as(mode).isEqualTo(plain.stderrWithoutVigil());
            Report report = agent.report();
            assertThat(report.agent().internalErrors()).as(mode + ": " + report.agent().errorSamples()).isZero();
            // Nothing from a mock or from Mockito's own bookkeeping; the real leak at its line.
            assertThat(report.findings()).as(mode + ": " + agent).extracting(Finding::kind, Finding::primaryLocation)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingKinds.PERMIT_LEAK, realPermit));
        }
    }
}
