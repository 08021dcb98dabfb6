package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The executor and future examples under the packaged agent, on JDK 17 and 25. */
class ExecutorTest {

    private static final String EXECUTORS = "dev.vigil.examples.executors.";
    private static final String FUTURES = "dev.vigil.examples.futures.";

    @TempDir
    Path work;


    private Report cleanRun(Jdk jdk, String mainClass, String expectedStdout) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(mainClass).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo(expectedStdout);
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        return report;
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void fireAndForgetWorkIsATaskLeakAtTheSubmitLine(Jdk jdk) {
        Report report = cleanRun(jdk, EXECUTORS + "FireAndForget", "handled 5 requests\n");
        assertThat(report.findings()).hasSize(1);
        Finding leak = Findings.single(report, FindingKinds.TASK_LEAK);
        assertThat(leak.severity()).isEqualTo(Severity.ERROR);
        assertThat(leak.primaryLocation())
                .isEqualTo(ExampleSource.expectedLocation(EXECUTORS + "FireAndForget", FindingKinds.TASK_LEAK));
        assertThat(leak.details()).containsEntry("count", 5).containsEntry("reason", "unfinished-at-exit");
        assertThat((Integer) leak.details().get("running") + (Integer) leak.details().get("queued")).isEqualTo(5);
        // The executor table: the audit pool was shut down, with work still in it.
        assertThat(report.executors()).singleElement().satisfies(e -> {
            assertThat(e.createdAt()).startsWith("FireAndForget.java:");
            assertThat(e.shutdown()).isNotNull();
            assertThat(e.activeTasks() + e.queuedTasks()).isPositive();
        });
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void scopedWorkHasNoFindings(Jdk jdk) {
        assertThat(cleanRun(jdk, EXECUTORS + "ScopedWork", "handled 5 requests\n").findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void anExecutorPerCallIsReportedWhileItKeepsTheJvmAlive(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("exitGrace=500ms")
                .main(EXECUTORS + "ExecutorPerCall").start();
        try {
            Report report = child.awaitReport(rep -> rep.run().trigger().equals("exit-blocked"));
            assertThat(child.process().isAlive()).isTrue();
            Finding leak = Findings.single(report, FindingKinds.EXECUTOR_LEAK);
            assertThat(leak.severity()).isEqualTo(Severity.ERROR);
            assertThat(leak.primaryLocation())
                    .isEqualTo(ExampleSource.expectedLocation(EXECUTORS + "ExecutorPerCall", FindingKinds.EXECUTOR_LEAK));
            assertThat(leak.details()).containsEntry("reason", "blocking-exit").containsEntry("count", 20)
                    .containsEntry("createdAtSite", 20);
            assertThat(report.executors()).hasSize(20).allSatisfy(e -> {
                assertThat(e.createdAt()).isEqualTo(leak.primaryLocation());
                assertThat(e.shutdown()).isNull();
                assertThat(e.workerThreads()).isEqualTo(1);
                assertThat(e.type()).isEqualTo("java.util.concurrent.ThreadPoolExecutor");
            });
            assertThat(Findings.ofKind(report, FindingKinds.THREAD_LEAK))
                    .as("the pool's workers are the executor's finding, not thread leaks of their own").isEmpty();
        } finally {
            child.kill();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aSharedExecutorShutDownHasNoFindings(Jdk jdk) {
        assertThat(cleanRun(jdk, EXECUTORS + "SharedExecutor", "total 1300\n").findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aDroppedFutureOfAFailingTaskIsAnUnobservedFailure(Jdk jdk) {
        Report report = cleanRun(jdk, FUTURES + "DroppedFuture", "inventory sync submitted\n");
        assertThat(report.findings()).hasSize(1);
        Finding f = Findings.single(report, FindingKinds.UNOBSERVED_FAILURE);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.sites()).hasSize(2);
        assertThat(f.sites().get(0).location())
                .isEqualTo(ExampleSource.expectedLocation(FUTURES + "DroppedFuture", FindingKinds.UNOBSERVED_FAILURE));
        assertThat(f.sites().get(1).location())
                .isEqualTo(ExampleSource.expectedLocation(FUTURES + "DroppedFuture", "unobserved-failure-submit"));
        assertThat(f.details()).containsEntry("exception", "java.lang.IllegalStateException")
                .containsEntry("exceptionMessage", "inventory service returned 503")
                .containsEntry("futureType", "java.util.concurrent.FutureTask");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void anIgnoredCompletableFutureFailureIsAnUnobservedFailure(Jdk jdk) {
        Report report = cleanRun(jdk, FUTURES + "DroppedCompletableFuture", "cache refresh started\n");
        assertThat(report.findings()).hasSize(1);
        Finding f = Findings.single(report, FindingKinds.UNOBSERVED_FAILURE);
        assertThat(f.primaryLocation()).isEqualTo(
                ExampleSource.expectedLocation(FUTURES + "DroppedCompletableFuture", FindingKinds.UNOBSERVED_FAILURE));
        assertThat(f.details()).containsEntry("exception", "java.lang.IllegalArgumentException")
                .containsEntry("futureType", "java.util.concurrent.CompletableFuture");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void errGroupStylePropagationHasNoFindings(Jdk jdk) {
        Report report = cleanRun(jdk, FUTURES + "ErrGroup", "page failed: inventory service returned 503\n");
        assertThat(report.findings()).isEmpty();
    }
}
