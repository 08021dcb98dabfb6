package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadLifetime;
import dev.vigil.report.model.ThreadRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The thread examples under the packaged agent, on JDK 17 and 25. */
class ThreadLeakTest {

    private static final String PKG = "dev.vigil.examples.threads.";

    @TempDir
    Path work;


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void unstoppedWorkerIsFlaggedAtItsStartSite(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + "UnstoppedWorker").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("processed 3 tenants\n");
        Report report = r.report();
        assertThat(report.run().trigger()).isEqualTo("exit");
        assertThat(report.findings()).hasSize(1);
        Finding leak = Findings.single(report, FindingKinds.THREAD_LEAK);
        assertThat(leak.severity()).isEqualTo(Severity.WARNING);
        assertThat(leak.primaryLocation())
                .isEqualTo(ExampleSource.expectedLocation(PKG + "UnstoppedWorker", FindingKinds.THREAD_LEAK));
        assertThat(leak.details()).containsEntry("reason", "alive-at-exit").containsEntry("count", 3);
        assertThat(leak.threads()).extracting(ThreadRef::name)
                .containsExactlyInAnyOrder("metrics-alpha", "metrics-beta", "metrics-gamma");
        // What each thread is doing now: sleeping in the loop that has no stop condition.
        for (ThreadRef t : leak.threads()) {
            assertThat(t.alive()).isTrue();
            assertThat(t.daemon()).isTrue();
            assertThat(t.stack()).anySatisfy(f -> assertThat(f.method()).isEqualTo("flushForever"));
        }
        // The whole start stack: the constructor that starts the thread, then main.
        List<Frame> start = leak.sites().get(0).frames();
        assertThat(start.get(0).className()).isEqualTo(PKG + "UnstoppedWorker$MetricsReporter");
        assertThat(start.get(0).method()).isEqualTo("<init>");
        assertThat(start).anySatisfy(f -> assertThat(f.method()).isEqualTo("main"));
        assertThat(leak.fingerprint()).matches("[0-9a-f]{16}");
        assertThat(r.stderr()).contains("vigil: WARNING thread-leak: 3 threads started at "
                + leak.primaryLocation() + " still running at exit");
        assertThat(r.stderr()).contains("vigil: report " + r.spec().reportJson());
        assertThat(r.spec().reportDir().resolve("vigil-report.html")).exists();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void stoppedWorkerHasNoFindingsAndItsLifetimesAreRecorded(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + "StoppedWorker").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Report report = r.report();
        assertThat(report.findings()).isEmpty();
        assertThat(report.agent().selfTest()).isEqualTo("passed");
        assertThat(report.agent().internalErrors()).isZero();
        assertThat(report.agent().instrumented()).contains("java.lang.Thread");
        List<ThreadLifetime> workers = report.threads().stream()
                .filter(t -> t.name().startsWith("metrics-")).toList();
        assertThat(workers).hasSize(3).allSatisfy(t -> {
            assertThat(t.origin()).isEqualTo("application");
            assertThat(t.parentName()).isEqualTo("main");
            assertThat(t.start()).isNotNull();
            assertThat(t.end()).isNotNull();
            assertThat(t.state()).isEqualTo("TERMINATED");
            assertThat(t.startSite().location()).startsWith("StoppedWorker.java:");
        });
        assertThat(r.stderr()).contains("vigil: no findings");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void hangingProgramStillLeavesAReportNamingTheThreadThatBlocksExit(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("exitGrace=500ms")
                .main(PKG + "BlockedExit").start();
        try {
            // Any report from the moment the exit is found blocked: the watchdog's, or a later urgent
            // one (the orphaned queue, the stuck wait), which must still say so.
            Report report = child.awaitReport(rep -> rep.findings().stream().anyMatch(f ->
                    f.kind().equals(FindingKinds.THREAD_LEAK) && "blocking-exit".equals(f.details().get("reason"))));
            // The summary is printed just after the report is written: wait for it, then kill.
            child.awaitStderr("vigil: ERROR thread-leak: 1 thread started at BlockedExit.java:");
            assertThat(child.process().isAlive()).as("the program hangs, as it would without Vigil").isTrue();
            Finding leak = Findings.single(report, FindingKinds.THREAD_LEAK);
            assertThat(leak.severity()).isEqualTo(Severity.ERROR);
            assertThat(leak.details()).containsEntry("reason", "blocking-exit");
            assertThat(leak.primaryLocation())
                    .isEqualTo(ExampleSource.expectedLocation(PKG + "BlockedExit", FindingKinds.THREAD_LEAK));
            ThreadRef consumer = leak.threads().get(0);
            assertThat(consumer.name()).isEqualTo("job-consumer");
            assertThat(consumer.daemon()).isFalse();
            assertThat(consumer.state()).isEqualTo("WAITING");
            assertThat(consumer.stack()).anySatisfy(f -> {
                assertThat(f.className()).isEqualTo("java.util.concurrent.LinkedBlockingQueue");
                assertThat(f.method()).isEqualTo("take");
            });
        } finally {
            child.kill();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void threadPerRequestIsFlaggedAsGrowing(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + "ThreadPerRequest").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Finding leak = Findings.single(r.report(), FindingKinds.THREAD_LEAK);
        assertThat(leak.severity()).isEqualTo(Severity.ERROR);
        assertThat(leak.primaryLocation())
                .isEqualTo(ExampleSource.expectedLocation(PKG + "ThreadPerRequest", FindingKinds.THREAD_LEAK));
        assertThat(leak.details())
                .containsEntry("reason", "growing")
                .containsEntry("count", 100)
                .containsEntry("startedAtSite", 100);
        assertThat(leak.threads()).hasSizeLessThan(100); // listed threads are capped, the count is not
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void longRunningServiceGetsPeriodicReportsThatShowGrowth(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("interval=200ms,threadGrowth=50")
                .main(PKG + "ThreadPerRequest", "--serve").start();
        try {
            // Periodic reports follow the service as it accepts requests: wait for one written after all 100.
            Report report = child.awaitReport(rep -> rep.run().trigger().equals("periodic")
                    && rep.findings().stream().anyMatch(f -> Integer.valueOf(100).equals(f.details().get("count"))));
            Finding leak = Findings.single(report, FindingKinds.THREAD_LEAK);
            assertThat(leak.details()).containsEntry("reason", "growing").containsEntry("startedAtSite", 100);
            assertThat(leak.title()).contains("limit threadGrowth=50");
            assertThat(child.process().isAlive()).isTrue();
        } finally {
            child.kill();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void requestsWithDeadlineHaveNoFindings(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + "RequestsWithDeadline").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.report().findings()).isEmpty();
    }
}
