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
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadLifetime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Service lifecycle semantics (docs/lifecycle.md): the false alarms seen on real services are
 * gone, and the real leaks next to them are still flagged at the right line. Fixtures under
 * {@code dev.vigil.it.fixtures}, on JDK 17 and 25.
 */
class LifecycleTest {

    private static final String FIXTURES = "dev.vigil.it.fixtures.";

    @TempDir
    Path work;

    private ChildJvm fixture(Jdk jdk, String dir) {
        return ChildJvm.on(jdk, work.resolve(dir)).classpath(Paths.testClasses().toString());
    }

    private static Report healthy(ChildJvm.Result r) {
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.agent().selfTest()).isEqualTo("passed");
        return report;
    }

    // ------------------------------------------------------------------ task tracking

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aPoolWhoseHooksSkipSuperHasItsTasksTrackedToTheEnd(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "finish").main(FIXTURES + "HooksWithoutSuper", "finish").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("ran 299 terminated true\n");
        Report report = healthy(r);
        assertThat(report.findings()).as(r.toString()).isEmpty();
        assertThat(report.tasks()).as("every task was seen to end").isNotEmpty()
                .allSatisfy(t -> assertThat(t.state()).isIn("completed", "failed"));
        assertThat(report.tasks()).filteredOn(t -> t.state().equals("failed")).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void tasksThatShutdownNowHandsBackAreNotLostWork(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "drained").main(FIXTURES + "DrainedByShutdownNow").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("handed back 4 terminated true\n");
        assertThat(healthy(r).findings()).as(r.toString()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void theSameTasksLeftQueuedAreATaskLeakAtTheirSubmitLine(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "queued").main(FIXTURES + "DrainedByShutdownNow", "lost").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String submitted = ExampleSource.fixtureLine("DrainedByShutdownNow.java", "lifecycle:queued-submit");
        assertThat(healthy(r).findings()).filteredOn(f -> f.kind().equals(FindingKinds.TASK_LEAK))
                .filteredOn(f -> submitted.equals(f.primaryLocation())).singleElement()
                .satisfies(leak -> assertThat(leak.details()).containsEntry("queued", 4));
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void tasksCutOffInSuchAPoolAreStillATaskLeakAtTheSubmitLine(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "cut").main(FIXTURES + "HooksWithoutSuper", "cut").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Finding leak = Findings.single(healthy(r), FindingKinds.TASK_LEAK);
        assertThat(leak.primaryLocation())
                .isEqualTo(ExampleSource.fixtureLine("HooksWithoutSuper.java", "lifecycle:cut-submit"));
        assertThat(leak.details()).containsEntry("count", 5).containsEntry("running", 3).containsEntry("queued", 2);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aPoolWithDaemonWorkersNeverShutDownIsAWarningAtExit(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "daemon-pool").main(FIXTURES + "HooksWithoutSuper", "cut").run();
        Finding leak = Findings.single(healthy(r), FindingKinds.EXECUTOR_LEAK);
        assertThat(leak.severity()).as("its daemon workers did not keep the JVM alive").isEqualTo(Severity.WARNING);
        assertThat(leak.details()).containsEntry("reason", "never-shut-down").containsEntry("nonDaemonWorkerThreads", 0)
                .containsEntry("workerThreads", 3);
    }

    // ------------------------------------------------------------------ a service whose main returned

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aServiceIsNoFindingWhileItServesNorWhenSigtermClosesIt(Jdk jdk) throws Exception {
        ChildJvm.Running child = fixture(jdk, "service").agentOptions("interval=1s,exitGrace=500ms")
                .main(FIXTURES + "LoopbackService").start();
        int port = awaitPort(child);
        for (int i = 0; i < 5; i++) {
            assertThat(request(port, i)).isEqualTo(i + 1);
        }
        awaitPeriodicReportsWithoutFindings(child, 4);
        assertThat(child.process().isAlive()).as("main returned; the service serves on").isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(request(port, 10 + i)).isEqualTo(11 + i);
        }

        child.process().destroy(); // SIGTERM: its hook closes it
        ChildJvm.Result r = child.awaitExit();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(143);
        Report atExit = healthy(r);
        assertThat(atExit.run().trigger()).isEqualTo("exit");
        assertThat(atExit.findings()).as(r.toString()).isEmpty();
        assertThat(atExit.executors()).hasSize(3).allSatisfy(e -> assertThat(e.shutdown()).isNotNull());
        assertThat(atExit.tasks()).filteredOn(t -> t.submittedAt().startsWith("LoopbackService.java:"))
                .isNotEmpty();
        assertThat(r.stderr()).contains("vigil: no findings");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aSchedulerTheServiceForgetsToCloseIsAnExecutorLeakAtItsLineAfterSigterm(Jdk jdk) throws Exception {
        ChildJvm.Running child = fixture(jdk, "forgetful").agentOptions("interval=1s,exitGrace=500ms")
                .main(FIXTURES + "LoopbackService", "forget-scheduler").start();
        int port = awaitPort(child);
        assertThat(request(port, 1)).isEqualTo(2);
        awaitPeriodicReportsWithoutFindings(child, 3);

        child.process().destroy();
        ChildJvm.Result r = child.awaitExit();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(143);
        Report atExit = healthy(r);
        assertThat(atExit.findings()).as(r.toString()).hasSize(1);
        Finding leak = Findings.single(atExit, FindingKinds.EXECUTOR_LEAK);
        assertThat(leak.primaryLocation()).isEqualTo(ExampleSource.fixtureLine("LoopbackService.java", "lifecycle:scheduler"));
        assertThat(leak.severity()).isEqualTo(Severity.ERROR);
        assertThat(leak.details()).containsEntry("reason", "never-shut-down").containsEntry("nonDaemonWorkerThreads", 1);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void threadsStillWorkingAfterMainReturnedAreNoHang(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "working").agentOptions("exitGrace=200ms")
                .main(FIXTURES + "AfterMainReturned", "working").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("main returns\nconsumed 780\n");
        Report report = healthy(r);
        assertThat(report.run().trigger()).isEqualTo("exit");
        assertThat(report.findings()).as(r.toString()).isEmpty();
        assertThat(r.stderr().lines().filter(l -> l.startsWith("vigil: report ")))
                .as("one report printed: none was written as exit-blocked").hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aNonDaemonThreadBlockedForEverAfterMainReturnedBlocksExitAtItsStartLine(Jdk jdk) {
        ChildJvm.Running child = fixture(jdk, "stuck").agentOptions("exitGrace=200ms")
                .main(FIXTURES + "AfterMainReturned", "stuck").start();
        try {
            Report report = child.awaitReport(rep -> rep.run().trigger().equals("exit-blocked"));
            assertThat(report.agent().internalErrors()).isZero();
            Finding leak = Findings.single(report, FindingKinds.THREAD_LEAK);
            assertThat(leak.severity()).isEqualTo(Severity.ERROR);
            assertThat(leak.details()).containsEntry("reason", "blocking-exit").containsEntry("count", 1);
            assertThat(leak.primaryLocation())
                    .isEqualTo(ExampleSource.fixtureLine("AfterMainReturned.java", "lifecycle:stuck-start"));
            assertThat(leak.threads()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("report-writer");
                assertThat(t.state()).isEqualTo("BLOCKED");
            });
            assertThat(report.findings()).as("the daemon holder keeps nobody alive").hasSize(1);
            assertThat(child.process().isAlive()).isTrue();
        } finally {
            child.kill();
        }
    }

    private static int awaitPort(ChildJvm.Running child) {
        child.awaitStdout("listening ");
        String line = child.stdout().lines().filter(l -> l.startsWith("listening ")).findFirst().orElseThrow();
        return Integer.parseInt(line.substring("listening ".length()).trim());
    }

    private static int request(int port, int b) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
             OutputStream out = s.getOutputStream(); InputStream in = s.getInputStream()) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            out.write(b);
            out.flush();
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every report the child writes from its start until {@code count} periodic ones have been seen
     * (the first after {@code exitGrace} plus the watchdog's whole window) has no findings.
     */
    private static void awaitPeriodicReportsWithoutFindings(ChildJvm.Running child, int count) {
        Set<String> periodic = new HashSet<>();
        child.awaitReport(rep -> {
            assertThat(rep.findings()).as("report " + rep.run().trigger() + " at " + rep.run().end()).isEmpty();
            assertThat(rep.agent().internalErrors()).isZero();
            if (rep.run().trigger().equals("periodic")) {
                periodic.add(rep.run().end());
            }
            return periodic.size() >= count;
        });
    }

    // ------------------------------------------------------------------ threads of the JDK

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aShutdownHookStillClosingWhenTheExitIsJudgedIsNoLeakAndFailOnKeepsTheStatus(Jdk jdk) {
        // The program's hook ends only once the exit report is written: it is judged while it runs.
        ChildJvm child = fixture(jdk, "slow-hook").agentOptions("failOn=error");
        ChildJvm.Result r = child.main(FIXTURES + "ExitWithJdkThreads", "main", child.reportJson().toString()).run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
        Report report = healthy(r);
        assertThat(report.run().trigger()).isEqualTo("exit");
        assertThat(report.findings()).as(r.toString()).isEmpty();
        assertThat(r.stderr()).doesNotContain("failOn=").contains("vigil: no findings");
        assertThat(report.threads()).filteredOn(t -> t.name().equals("closing-hook")).singleElement()
                .satisfies(t -> {
                    assertThat(t.origin()).isEqualTo("jdk");
                    assertThat(t.end()).as("still running when the report was judged").isNull();
                });
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void threadsTheJdkStartsAreNeverFindingsAndSystemExitKeepsItsStatus(Jdk jdk) {
        for (String who : List.of("main", "worker")) {
            ChildJvm.Result r = fixture(jdk, who).agentOptions("failOn=error").main(FIXTURES + "ExitWithJdkThreads", who).run();
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
            Report report = healthy(r);
            assertThat(report.findings()).as(r.toString()).isEmpty();
            assertThat(r.stderr()).doesNotContain("failOn=");
            List<ThreadLifetime> jdkThreads = report.threads().stream()
                    .filter(t -> t.name().startsWith("Cleaner-") || t.name().equals("closing-hook")
                            || t.name().startsWith("JFR ") || t.name().equals("VirtualThread-unblocker"))
                    .toList();
            assertThat(jdkThreads).extracting(ThreadLifetime::name).contains("closing-hook")
                    .anySatisfy(n -> assertThat(n).startsWith("Cleaner-"));
            assertThat(jdkThreads).allSatisfy(t -> assertThat(t.origin()).as(t.name()).isEqualTo("jdk"));
            assertThat(report.threads()).filteredOn(t -> t.name().equals("Logging-Cleaner")
                    || t.name().equals("JFR Shutdown Hook")).extracting(ThreadLifetime::origin)
                    .as("the JDK's own hooks were seen, as the JDK's").containsExactly("jdk", "jdk");
            if (who.equals("worker")) {
                assertThat(report.threads()).filteredOn(t -> t.name().equals("exiting-worker")).singleElement()
                        .satisfies(t -> assertThat(t.origin()).isEqualTo("application"));
            }
        }
    }
}
