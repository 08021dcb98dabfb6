package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadRef;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Virtual threads under the packaged agent (JDK 21+: here JDK 25). */
class VirtualThreadTest {

    private static final String FIXTURE = "dev.vigil.it.fixtures.VirtualThreadsLeft";

    @TempDir
    Path work;

    static Stream<Jdk> jdksWithVirtualThreads() {
        return Jdk.all().stream().filter(j -> !j.name().equals("jdk17"));
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void virtualThreadsLeftWaitingAtExitAreOneFindingAtTheirStartLine(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).main(FIXTURE, "leave").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("left 5\n");
        assertThat(r.report().findings()).as("the joined ones and the JDK's carrier threads are no finding").hasSize(3);
        List<String> startLines = ExampleSource.expectedLocations(Paths.testSources(), FIXTURE, FindingKinds.THREAD_LEAK);
        assertThat(Findings.ofKind(r.report(), FindingKinds.THREAD_LEAK)).extracting(Finding::primaryLocation)
                .containsExactlyInAnyOrderElementsOf(startLines);
        Finding leak = Findings.ofKind(r.report(), FindingKinds.THREAD_LEAK).stream()
                .filter(f -> f.primaryLocation().equals(startLines.get(0))).findFirst().orElseThrow();
        assertThat(leak.severity()).isEqualTo(Severity.WARNING);
        assertThat(leak.details()).containsEntry("reason", "alive-at-exit").containsEntry("virtual", true)
                .containsEntry("count", 5).containsEntry("startedAtSite", 5);
        assertThat(leak.threads()).hasSize(5).allSatisfy(t -> {
            assertThat(t.alive()).isTrue();
            assertThat(t.stack()).as("what it waits on").anySatisfy(f -> assertThat(f.method()).isEqualTo("handle"));
        });
        assertThat(leak.threads()).extracting(ThreadRef::name).allMatch(n -> n.startsWith("virtual-"));
        assertThat(leak.message()).as("says on what it waits").containsPattern(
                "Now: virtual-\\d+ is WAITING at VirtualThreadsLeft\\.java:\\d+ on queue LinkedBlockingQueue@[0-9a-f]+ "
                        + "\\(0 queued, unbounded\\), to take\\.");

        // The three waiting on one CompletableFuture nobody completes: one error at the join line, all three named.
        Finding reply = Findings.single(r.report(), FindingKinds.FUTURE_NEVER_COMPLETED);
        assertThat(reply.severity()).isEqualTo(Severity.ERROR);
        assertThat(reply.primaryLocation()).isEqualTo(ExampleSource.expectedLocations(Paths.testSources(), FIXTURE,
                FindingKinds.FUTURE_NEVER_COMPLETED).get(0));
        assertThat(reply.details()).containsEntry("alsoWaiting", 2);
        assertThat(reply.threads()).extracting(ThreadRef::name).hasSize(3).allMatch(n -> n.startsWith("virtual-"));
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void virtualThreadsOfAClosedThreadPerTaskExecutorAreNoFinding(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).main(FIXTURE, "scoped").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("answered 5\n");
        assertThat(r.report().findings()).isEmpty();
    }

    /** A thread-per-task executor is an executor like a pool: never closed, and its tasks' work lost at exit. */
    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void anUnclosedThreadPerTaskExecutorIsAnExecutorLeakAndItsRunningTasksATaskLeak(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).main(FIXTURE, "unclosed")
                .run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("left 4 running\n");
        Finding executor = Findings.single(r.report(), FindingKinds.EXECUTOR_LEAK);
        assertThat(executor.primaryLocation()).isEqualTo(ExampleSource.expectedLocations(Paths.testSources(), FIXTURE,
                FindingKinds.EXECUTOR_LEAK).get(0));
        assertThat(executor.severity()).as("virtual threads keep no JVM alive").isEqualTo(Severity.WARNING);
        assertThat(executor.details()).containsEntry("reason", "never-shut-down").containsEntry("workerThreads", 4)
                .containsEntry("activeTasks", 4);
        Finding tasks = Findings.single(r.report(), FindingKinds.TASK_LEAK);
        assertThat(tasks.primaryLocation()).isEqualTo(ExampleSource.expectedLocations(Paths.testSources(), FIXTURE,
                FindingKinds.TASK_LEAK).get(0));
        assertThat(tasks.severity()).isEqualTo(Severity.ERROR);
        assertThat(Findings.ofKind(r.report(), FindingKinds.THREAD_LEAK)).as("the threads are the executor's").isEmpty();
        assertThat(r.report().findings()).hasSize(2);
    }

    private static final String LOCKS = "dev.vigil.it.fixtures.VirtualThreadLocks";

    /** Lock order is checked on virtual threads as on platform threads, monitors included (JDK 24+ does not pin them). */
    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void locksTakenInOppositeOrdersByTwoVirtualThreadsAreALockOrderCycle(Jdk jdk) {
        for (String mode : List.of("inversion", "monitors")) {
            ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).main(LOCKS, mode).run();

            assertThat(r.exitCode()).as(r.toString()).isZero();
            Finding cycle = Findings.single(r.report(), FindingKinds.LOCK_ORDER_CYCLE);
            assertThat(cycle.severity()).as("two threads: it can deadlock").isEqualTo(Severity.ERROR);
            List<String> marked = ExampleSource.expectedLocations(Paths.testSources(), LOCKS, FindingKinds.LOCK_ORDER_CYCLE);
            List<String> lines = mode.equals("inversion") ? marked.subList(0, 4) : marked.subList(4, 8);
            assertThat(Findings.edgeLocations(cycle)).as(mode).isEqualTo(Findings.pairs(lines));
            assertThat(cycle.threads()).extracting(ThreadRef::name).hasSize(2).allMatch(n -> n.startsWith("virtual-"));
            assertThat(r.report().findings()).as(mode).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void twoVirtualThreadsDeadlockedOnReentrantLocksAreReportedWhenTheyBlock(Jdk jdk) {
        // The JVM's deadlock detection does not see virtual threads: the hooks do.
        ChildJvm.Running child = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main(LOCKS, "deadlock").start();
        dev.vigil.report.model.Report report = child.awaitReportWhileHung(
                rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty(), () -> { });
        assertThat(report.agent().internalErrors()).isZero();
        Finding deadlock = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
        assertThat(deadlock.details()).containsEntry("detectedBy", "hook");
        assertThat(Findings.edgeLocations(deadlock)).isEqualTo(Findings.pairs(
                ExampleSource.expectedLocations(Paths.testSources(), LOCKS, FindingKinds.DEADLOCK)));
        assertThat(deadlock.threads()).extracting(ThreadRef::name).hasSize(2).allMatch(n -> n.startsWith("virtual-"));
        assertThat(deadlock.title()).contains("'virtual-");
    }

    /** Told on the virtual thread itself as its task ends (JDK 22+), as a platform thread's exit is. */
    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void aVirtualThreadThatEndsHoldingALockIsFound(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).main(LOCKS, "diedHolding")
                .run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("held by a dead thread: true\n");
        Finding dead = Findings.single(r.report(), FindingKinds.LOCK_HELD_BY_DEAD_THREAD);
        assertThat(dead.severity()).isEqualTo(Severity.ERROR);
        assertThat(dead.primaryLocation()).isEqualTo(ExampleSource.expectedLocations(Paths.testSources(), LOCKS,
                FindingKinds.LOCK_HELD_BY_DEAD_THREAD).get(0));
        assertThat(dead.threads()).extracting(ThreadRef::name).singleElement()
                .satisfies(n -> assertThat(n).startsWith("virtual-"));
        assertThat(r.report().findings()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void aPermitTakenByAVirtualThreadThatEndedIsAPermitLeak(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).main(FIXTURE, "permitKept")
                .run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("uploading\npermits left 3\n");
        Finding leak = Findings.single(r.report(), FindingKinds.PERMIT_LEAK);
        assertThat(leak.primaryLocation()).isEqualTo(ExampleSource.expectedLocations(Paths.testSources(), FIXTURE,
                FindingKinds.PERMIT_LEAK).get(0));
        assertThat(leak.title()).contains("the thread has ended");
        assertThat(leak.threads()).extracting(ThreadRef::name).singleElement()
                .satisfies(n -> assertThat(n).startsWith("virtual-"));
        assertThat(r.report().findings()).hasSize(1);
    }
}
