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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.TaskLifetime;
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
        return cleanRun(ChildJvm.on(jdk, work), mainClass, expectedStdout);
    }

    private Report cleanRun(ChildJvm child, String mainClass, String expectedStdout) {
        ChildJvm.Result r = child.main(mainClass).run();
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
    void aTaskInterruptedByShutdownNowWasCancelledAndIsNoUnobservedFailure(Jdk jdk) {
        ChildJvm child = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString());
        assertThat(cleanRun(child, "dev.vigil.it.fixtures.CancelledByShutdownNow", "terminated true done true\n")
                .findings()).isEmpty();
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

    // ------------------------------------------------------------------ waits on futures

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aFutureNobodyCompletesIsReportedWhileTheThreadWaitsAndKeptWhenItGivesUp(Jdk jdk) {
        String main = FUTURES + "LostCallback";
        String waitingAt = ExampleSource.expectedLocation(main, FindingKinds.FUTURE_NEVER_COMPLETED);
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("stuckWait=300ms").main(main).start();
        Report during = child.awaitReport(rep -> !Findings.ofKind(rep, FindingKinds.FUTURE_NEVER_COMPLETED).isEmpty());
        Finding f = Findings.single(during, FindingKinds.FUTURE_NEVER_COMPLETED);
        assertThat(during.run().trigger()).isEqualTo("stuck-wait");
        assertThat(f.primaryLocation()).isEqualTo(waitingAt);
        assertThat(f.sites().get(0).role()).isEqualTo("waiting at");
        String createdAt = ExampleSource.expectedLocation(main, "future-created");
        assertThat(f.sites()).anySatisfy(s -> {
            assertThat(s.role()).isEqualTo("future created");
            assertThat(s.location()).isEqualTo(createdAt);
        });
        assertThat(f.details()).containsEntry("createdAt", createdAt);
        assertThat(f.title()).contains("created at " + createdAt);
        assertThat(f.threads()).first().satisfies(t -> assertThat(t.name()).isEqualTo("main"));
        assertThat(f.details()).containsEntry("primitive", "future").containsEntry("ended", false)
                .containsEntry("futureType", "java.util.concurrent.CompletableFuture");
        assertThat((String) f.details().get("waitingOn")).startsWith("CompletableFuture@");

        ChildJvm.Result r = child.awaitExit();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("price lookup timed out\n");
        Report atExit = r.report();
        assertThat(atExit.findings()).hasSize(1);
        Finding kept = Findings.single(atExit, FindingKinds.FUTURE_NEVER_COMPLETED);
        assertThat(kept.fingerprint()).isEqualTo(f.fingerprint());
        assertThat(kept.details()).containsEntry("ended", true);
        assertThat(((Number) kept.details().get("waitingMillis")).longValue()).isGreaterThanOrEqualTo(2_900);
        assertThat(atExit.agent().internalErrors()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aWaitShorterThanTheThresholdIsNoFinding(Jdk jdk) {
        Report report = cleanRun(ChildJvm.on(jdk, work).agentOptions("stuckWait=60s"), FUTURES + "LostCallback",
                "price lookup timed out\n");
        assertThat(report.findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aFutureCompletedOnEveryPathHasNoFindings(Jdk jdk) {
        Report report = cleanRun(ChildJvm.on(jdk, work).agentOptions("stuckWait=300ms"),
                FUTURES + "CompletedOnEveryPath", "price lookup failed: no price for sku-42\n");
        assertThat(report.findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aWorkerWaitingOnATaskQueuedInItsOwnPoolIsAStuckWaitAndItsTaskRunsTooLong(Jdk jdk) {
        String main = FUTURES + "NestedSubmit";
        List<String> waits = ExampleSource.expectedLocations(main, FindingKinds.STUCK_WAIT);
        String submit = ExampleSource.expectedLocation(main, "stuck-wait-submit");
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("stuckWait=300ms,longTask=300ms").main(main).start();
        Report during = child.awaitReport(rep -> Findings.ofKind(rep, FindingKinds.STUCK_WAIT).size() == 2
                && !Findings.ofKind(rep, FindingKinds.TASK_LEAK).isEmpty());

        Finding worker = stuckWaitAt(during, waits.get(0));
        assertThat(worker.severity()).as("its only worker is the thread that waits").isEqualTo(Severity.ERROR);
        assertThat(worker.details()).containsEntry("primitive", "future").containsEntry("ended", false)
                .containsEntry("futureType", "java.util.concurrent.FutureTask");
        assertThat(worker.threads().get(0).name()).isEqualTo("pool-1-thread-1");
        assertThat(releasers(worker)).singleElement().satisfies(rel -> {
            assertThat(rel).containsEntry("thread", "pool-1-thread-1").containsEntry("alive", true);
            assertThat((String) rel.get("role")).contains("waiting here itself");
        });

        Finding caller = stuckWaitAt(during, waits.get(1));
        assertThat(caller.severity()).isEqualTo(Severity.WARNING);
        assertThat(caller.threads().get(0).name()).isEqualTo("main");
        assertThat(caller.sites().get(1).location()).as("the task it waits for").isEqualTo(submit);
        assertThat(releasers(caller)).singleElement().satisfies(rel ->
                assertThat(rel).containsEntry("thread", "pool-1-thread-1").containsEntry("role", "running the task"));

        Finding slow = Findings.single(during, FindingKinds.TASK_LEAK);
        assertThat(slow.primaryLocation()).isEqualTo(submit);
        assertThat(slow.severity()).isEqualTo(Severity.WARNING);
        assertThat(slow.details()).containsEntry("reason", "running-too-long").containsEntry("count", 1);
        assertThat(slow.sites().get(1).location()).as("where it runs now").isEqualTo(waits.get(0));

        ChildJvm.Result r = child.awaitExit();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("report timed out\n");
        Report atExit = r.report();
        assertThat(Findings.ofKind(atExit, FindingKinds.STUCK_WAIT)).hasSize(2)
                .allSatisfy(f -> assertThat(f.details()).containsEntry("ended", true));
        assertThat(atExit.findings()).extracting(Finding::kind).containsExactlyInAnyOrder(
                FindingKinds.STUCK_WAIT, FindingKinds.STUCK_WAIT, FindingKinds.TASK_LEAK);
        assertThat(atExit.agent().internalErrors()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aForkJoinTaskJoinedButNeverForkedIsAStuckWaitOfItsWorkersAndOfItsCaller(Jdk jdk) {
        String main = FUTURES + "JoinWithoutFork";
        List<String> waits = ExampleSource.expectedLocations(main, FindingKinds.STUCK_WAIT);
        String submit = ExampleSource.expectedLocation(main, "stuck-wait-submit");
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("stuckWait=300ms").main(main).start();
        Report during = child.awaitReport(rep -> Findings.ofKind(rep, FindingKinds.STUCK_WAIT).size() == 2);

        Finding workers = stuckWaitAt(during, waits.get(0));
        assertThat(workers.severity()).isEqualTo(Severity.WARNING);
        assertThat(workers.details()).containsEntry("primitive", "future").containsEntry("ended", false)
                .containsEntry("futureType", "dev.vigil.examples.futures.JoinWithoutFork$Sum");
        assertThat(workers.threads()).as("every worker stuck at the join line, in one finding")
                .allSatisfy(t -> assertThat(t.name()).startsWith("ForkJoinPool-1-worker-"));
        assertThat(releasers(workers)).as("nothing will run a task never forked").isEmpty();

        Finding caller = stuckWaitAt(during, waits.get(1));
        assertThat(caller.severity()).isEqualTo(Severity.WARNING);
        assertThat(caller.threads().get(0).name()).isEqualTo("main");
        assertThat(caller.sites().get(1).role()).isEqualTo("task submitted");
        assertThat(caller.sites().get(1).location()).isEqualTo(submit);
        assertThat(releasers(caller)).singleElement().satisfies(rel -> {
            assertThat((String) rel.get("thread")).startsWith("ForkJoinPool-1-worker-");
            assertThat(rel).containsEntry("role", "running the task").containsEntry("alive", true);
        });

        ChildJvm.Result r = child.awaitExit();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("sum timed out\n");
        Report atExit = r.report();
        assertThat(atExit.findings()).hasSize(2).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(FindingKinds.STUCK_WAIT);
            assertThat(f.details()).containsEntry("ended", true);
        });
        assertThat(atExit.findings()).extracting(Finding::fingerprint)
                .containsExactlyInAnyOrder(workers.fingerprint(), caller.fingerprint());
        assertThat(atExit.agent().internalErrors()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aLongForkJoinSumThatForksWhatItJoinsHasNoFindings(Jdk jdk) {
        // main waits on each computation far longer than stuckWait, while the pool runs.
        Report report = cleanRun(ChildJvm.on(jdk, work).agentOptions("stuckWait=100ms"), FUTURES + "ForkJoinSum",
                "sum 30000000\n");
        assertThat(report.findings()).isEmpty();
    }

    private static Finding stuckWaitAt(Report report, String location) {
        return Findings.ofKind(report, FindingKinds.STUCK_WAIT).stream()
                .filter(f -> location.equals(f.primaryLocation())).findFirst()
                .orElseThrow(() -> new AssertionError("no stuck-wait at " + location + " in " + report.findings()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> releasers(Finding f) {
        return (List<Map<String, Object>>) f.details().get("releasers");
    }

    // ------------------------------------------------------------------ timers

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aTimeoutScheduledPerRequestAndCancelledIsATimerPileUpAtTheScheduleLine(Jdk jdk) {
        String main = EXECUTORS + "TimeoutPerRequest";
        Report report = cleanRun(jdk, main, "handled 5000 requests\n");
        assertThat(report.findings()).hasSize(1);
        Finding f = Findings.single(report, FindingKinds.TIMER_PILE_UP);
        assertThat(f.primaryLocation()).isEqualTo(ExampleSource.expectedLocation(main, FindingKinds.TIMER_PILE_UP));
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.details()).containsEntry("reason", "cancelled-retained").containsEntry("removeOnCancel", false);
        int queued = (Integer) f.details().get("queued");
        assertThat(queued).isGreaterThanOrEqualTo(1_000);
        assertThat((Integer) f.details().get("cancelled")).isGreaterThanOrEqualTo(queued - 1);
        assertThat((Integer) f.details().get("scheduledAtSite")).isEqualTo(queued);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aTimerPerCallIsAGrowingThreadLeakAtTheTimerLine(Jdk jdk) {
        String main = EXECUTORS + "TimerPerCall";
        Report report = cleanRun(jdk, main, "handled 100 requests\n");
        assertThat(report.findings()).hasSize(1);
        Finding f = Findings.single(report, FindingKinds.THREAD_LEAK);
        assertThat(f.primaryLocation()).isEqualTo(ExampleSource.expectedLocation(main, FindingKinds.THREAD_LEAK));
        assertThat(f.details()).containsEntry("reason", "growing").containsEntry("count", 100);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void oneFixedRateTaskCancelledOnStopHasNoFindings(Jdk jdk) {
        assertThat(cleanRun(jdk, EXECUTORS + "Heartbeat", "handled 5000 requests\n").findings()).isEmpty();
    }

    // ------------------------------------------------------------------ ForkJoinPool, close(), task timeline

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void tasksSubmittedToAForkJoinPoolFromOutsideAreInTheLedgerOnceEach(Jdk jdk) {
        String main = EXECUTORS + "ForkJoinLostWork";
        Report report = cleanRun(jdk, main, "indexing submitted\n");
        assertThat(report.findings()).hasSize(1);
        Finding leak = Findings.single(report, FindingKinds.TASK_LEAK);
        String submit = ExampleSource.expectedLocation(main, FindingKinds.TASK_LEAK);
        assertThat(leak.primaryLocation()).isEqualTo(submit);
        assertThat(leak.details()).as("four jobs, their forks inside the pool not counted")
                .containsEntry("count", 4).containsEntry("reason", "unfinished-at-exit");
        // The task timeline: the awaited job completed, the four others are still open.
        assertThat(report.tasks()).hasSize(5);
        assertThat(report.tasks()).filteredOn(t -> t.state().equals("completed")).singleElement()
                .satisfies(t -> {
                    assertThat(t.submittedAt()).startsWith("ForkJoinLostWork.java:").isNotEqualTo(submit);
                    assertThat(t.started()).isNotNull();
                    assertThat(t.ended()).isNotNull();
                    assertThat(t.thread()).as("a worker, or main helping in invoke()").isNotNull();
                });
        assertThat(report.tasks()).filteredOn(t -> !t.state().equals("completed")).hasSize(4)
                .allSatisfy(t -> {
                    assertThat(t.submittedAt()).isEqualTo(submit);
                    assertThat(t.state()).isIn("queued", "running");
                });
        long poolId = report.executors().get(0).id();
        assertThat(report.tasks()).extracting(TaskLifetime::executorId).containsOnly(poolId);
    }

    static Stream<Jdk> jdksWithClose() {
        return Jdk.all().stream().filter(j -> !j.name().equals("jdk17"));
    }

    @ParameterizedTest
    @MethodSource("jdksWithClose")
    void executorsEndedWithCloseAreNotFlaggedAndUnclosedOnesAre(Jdk jdk) {
        String fixture = "dev.vigil.it.fixtures.ClosedExecutors";
        ChildJvm.Result closed = ChildJvm.on(jdk, work.resolve("closed")).classpath(Paths.testClasses().toString())
                .main(fixture, "close").run();
        assertThat(closed.exitCode()).as(closed.toString()).isZero();
        assertThat(closed.stdout()).isEqualTo("closed true true\n");
        assertThat(closed.report().findings()).isEmpty();
        assertThat(closed.report().executors()).hasSize(2).allSatisfy(e -> assertThat(e.shutdown()).isNotNull());

        ChildJvm.Result open = ChildJvm.on(jdk, work.resolve("open")).classpath(Paths.testClasses().toString())
                .main(fixture, "leave").run();
        assertThat(open.exitCode()).as(open.toString()).isZero();
        assertThat(open.stdout()).isEqualTo("left open\n");
        assertThat(Findings.ofKind(open.report(), FindingKinds.EXECUTOR_LEAK)).hasSize(2)
                .allSatisfy(f -> assertThat(f.primaryLocation()).startsWith("ClosedExecutors.java:"));
    }
}
