package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15: the host is never harmed. The agent never runs application code (overrides of
 * identity, text and getter methods in subclasses of what it tracks) and never lets the JVM's
 * exit wait on the application.
 */
class HostSafetyTest {

    @TempDir
    Path work;

    private ChildJvm child(Jdk jdk, String dir) {
        return ChildJvm.on(jdk, work.resolve(dir)).classpath(Paths.testClasses().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void hostileOverridesOfTrackedTypesAreNeverCalled(Jdk jdk) {
        String main = "dev.vigil.it.fixtures.hostile.HostileOverrides";
        ChildJvm.Result plain = child(jdk, "plain").withoutAgent().main(main, "print").run();
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.stdout()).contains("squares 0 1 4", "pool sum 10", "table 2 vector x", "permit taken",
                "queue moved 28").doesNotContain("called ");

        // Each mode makes a call from the agent visible differently: a line, an exception, a hang, a stack overflow.
        for (String mode : new String[] {"print", "throw", "block", "recurse"}) {
            ChildJvm.Result agent = child(jdk, mode).main(main, mode).run();
            assertThat(agent.stdout()).as(mode + ": " + agent).isEqualTo(plain.stdout());
            assertThat(agent.exitCode()).as(mode + ": " + agent).isEqualTo(plain.exitCode());
            assertThat(agent.stderrWithoutVigil()).as(mode).isEqualTo(plain.stderrWithoutVigil());
            Report report = agent.report();
            assertThat(report.agent().internalErrors()).as(mode + ": " + report.agent().errorSamples()).isZero();
            assertThat(report.findings()).extracting(Finding::kind).as(mode)
                    .contains(FindingKinds.EXECUTOR_LEAK, FindingKinds.LOCK_ORDER_CYCLE);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aPoolWhoseTerminatedCallsExitDoesNotHangTheExit(Jdk jdk) {
        // The exiting worker holds the pool's mainLock while the shutdown hooks run; main holds the
        // leaked pool's monitor, which its synchronized getActiveCount needs.
        String main = "dev.vigil.it.fixtures.hostile.ExitFromTerminated";
        ChildJvm.Result plain = child(jdk, "plain").withoutAgent().main(main).run();
        ChildJvm.Result agent = child(jdk, "agent").main(main).run();

        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(agent.exitCode()).as(agent.toString()).isZero();
        assertThat(agent.stdout()).isEqualTo(plain.stdout()).endsWith("terminated, exiting\n");
        Report report = agent.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        Finding leak = report.findings().stream().filter(f -> f.kind().equals(FindingKinds.EXECUTOR_LEAK))
                .findFirst().orElseThrow(() -> new AssertionError(agent.toString()));
        assertThat(leak.details()).containsEntry("workerThreads", 1).containsEntry("activeTasks", 0);
        assertThat(report.executors()).hasSize(2);
    }
}
