package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
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

    private static final String LOUD_EXCEPTION = "dev.vigil.it.fixtures.hostile.HostileOverrides$LoudException";

    /** {@code HostileOverrides.java:N} of the line marked {@code marker}. */
    private static String line(String marker) {
        return ExampleSource.fixtureLine("hostile/HostileOverrides.java", marker).substring("hostile/".length());
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void hostileOverridesOfTrackedTypesAreNeverCalled(Jdk jdk) {
        String main = "dev.vigil.it.fixtures.hostile.HostileOverrides";
        ChildJvm.Result plain = child(jdk, "plain").withoutAgent().main(main, "print").run();
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.stdout()).isEqualTo("squares 0 1 4\npool sum 10\nfailure read read\ntable 2 vector x\npermit taken\n"
                + "queue moved 28\nlatch open\nfork/join sum 6\nscheduled 7\n");

        // Each mode makes a call from the agent visible differently: a line, an exception, a hang, a stack overflow.
        for (String mode : new String[] {"print", "throw", "block", "recurse"}) {
            ChildJvm.Result agent = child(jdk, mode).main(main, mode).run();
            assertThat(agent.stdout()).as(mode + ": " + agent).isEqualTo(plain.stdout());
            assertThat(agent.exitCode()).as(mode + ": " + agent).isEqualTo(plain.exitCode());
            assertThat(agent.stderrWithoutVigil()).as(mode).isEqualTo(plain.stderrWithoutVigil());
            Report report = agent.report();
            assertThat(report.agent().internalErrors()).as(mode + ": " + report.agent().errorSamples()).isZero();
            // The hazards are still found, at their lines, though every getter the agent might ask lies.
            // (An executor of a subclass is created at the subclass's super(...) call: its first
            // application frame.)
            assertThat(report.findings()).filteredOn(f -> f.kind().equals(FindingKinds.EXECUTOR_LEAK))
                    .extracting(Finding::primaryLocation).as(mode + ": " + agent)
                    .containsExactlyInAnyOrder(line("hostile:pool-created"), line("hostile:forkjoin-created"),
                            line("hostile:scheduler-created"));
            Finding pileUp = Findings.single(report, FindingKinds.TIMER_PILE_UP);
            assertThat(pileUp.primaryLocation()).isEqualTo(line("hostile:scheduled"));
            assertThat(pileUp.title()).contains(line("hostile:scheduler-created"));
            assertThat(report.findings()).filteredOn(f -> f.kind().equals(FindingKinds.LOCK_ORDER_CYCLE))
                    .as(mode).hasSize(2);
            Finding unread = Findings.single(report, FindingKinds.UNOBSERVED_FAILURE);
            assertThat(unread.primaryLocation()).as(mode).isEqualTo(line("hostile:unread-thrown"));
            assertThat(unread.title()).as(mode).contains("task submitted at " + line("hostile:unread-submitted"))
                    .endsWith("HostileOverrides$LoudException at " + line("hostile:unread-thrown"));
            assertThat(unread.details()).containsEntry("exception", LOUD_EXCEPTION)
                    .containsEntry("exceptionMessage", "loud failure").containsEntry("count", 1);
            assertThat(report.findings()).extracting(Finding::kind).as(mode)
                    .doesNotContain(FindingKinds.TASK_LEAK, FindingKinds.FUTURE_NEVER_COMPLETED,
                            FindingKinds.STUCK_WAIT, FindingKinds.DEADLOCK);
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
