package dev.vigil.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.app.AppCode;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Severity;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Waits on futures, long tasks and timer pile-ups, driven the way the hooks drive the ledger. */
class FutureWaitDetectorTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final StackFrames stacks = new StackFrames(PackageFilter.of("com.example.*", ""));
    private final ExecutorLedger ledger = new ExecutorLedger(stacks, now::get);
    private final CompletableFuture<String> future = new CompletableFuture<>();
    private Thread waiter;
    private ScheduledThreadPoolExecutor scheduler;

    @AfterEach
    void end() throws InterruptedException {
        future.complete("done");
        if (waiter != null) {
            waiter.join(10_000);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Starts a thread that waits on {@link #future} and returns once it is blocked there (and seen by the watch). */
    private void startWaiter() throws InterruptedException {
        startWaiter(1);
    }

    private void startWaiter(int followed) throws InterruptedException {
        waiter = new Thread(() -> AppCode.waitOn(ledger, future), "waiter");
        waiter.start();
        awaitOpenWaits(followed, waiter);
    }

    @Test
    void aWaitPastTheThresholdIsReportedOnceAndKeptWhenItEnds() throws InterruptedException {
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 1_000, now::get);
        startWaiter();
        assertThat(d.check()).isFalse();
        assertThat(d.findings(Phase.RUNNING)).isEmpty();

        now.addAndGet(1_000);
        assertThat(d.check()).isTrue();
        assertThat(d.check()).as("once per wait").isFalse();
        Finding f = d.findings(Phase.RUNNING).get(0);
        assertThat(f.kind()).isEqualTo("future-never-completed");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.primaryLocation()).startsWith("AppCode.java:");
        assertThat(f.threads().get(0).name()).isEqualTo("waiter");
        assertThat(f.details()).containsEntry("primitive", "future").containsEntry("ended", false)
                .containsEntry("waitingMillis", 1_000L);

        now.addAndGet(500);
        future.complete("late");
        waiter.join(10_000);
        assertThat(d.findings(Phase.EXITING)).singleElement().satisfies(x -> {
            assertThat(x.fingerprint()).isEqualTo(f.fingerprint());
            assertThat(x.details()).containsEntry("ended", true).containsEntry("waitingMillis", 1_500L);
        });
    }

    @Test
    void aShutdownHookWaitingAsTheProgramStopsIsReportedOnlyIfStillWaitingAtExit() throws InterruptedException {
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 1_000, now::get);
        startWaiter();
        Thread hook = waiter;
        d.shutdownHooks(t -> t == hook); // as Jetty's stop hook waiting for its connectors to drain

        now.addAndGet(1_000);
        assertThat(d.check()).isFalse();
        assertThat(d.findings(Phase.RUNNING)).isEmpty();
        // A hook that still waits when the exit report is written keeps the JVM from exiting.
        assertThat(d.findings(Phase.EXITING)).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void aThreadStillWaitingAtExitIsAnErrorWhateverTheThreshold() throws InterruptedException {
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 3_600_000, now::get);
        startWaiter();
        assertThat(d.check()).isFalse();
        assertThat(d.findings(Phase.RUNNING)).isEmpty();
        assertThat(d.findings(Phase.EXIT_BLOCKED)).as("the program may still make progress").isEmpty();
        List<Finding> atExit = d.findings(Phase.EXITING);
        assertThat(atExit).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("future-never-completed");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.details()).containsEntry("stillWaitingAtExit", true);
        });
    }

    @Test
    void threadsWaitingOnOneFutureAtOneLineAreOneFinding() throws InterruptedException {
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 3_600_000, now::get);
        startWaiter();
        Thread second = new Thread(() -> AppCode.waitOn(ledger, future), "second waiter");
        second.start();
        try {
            awaitOpenWaits(2, second);
            assertThat(d.findings(Phase.EXITING)).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.ERROR);
                assertThat(f.details()).containsEntry("alsoWaiting", 1);
                assertThat(f.threads()).extracting(t -> t.name()).containsExactlyInAnyOrder("waiter", "second waiter");
            });
        } finally {
            future.complete("done");
            second.join(10_000);
        }
    }

    @Test
    void stuckWaitZeroTurnsItOff() throws InterruptedException {
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 0, now::get);
        startWaiter(0);
        assertThat(ledger.openWaits()).as("not even followed").isEmpty();
        now.addAndGet(3_600_000);
        assertThat(d.check()).isFalse();
        assertThat(d.findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void aWaitEndedBeforeTheThresholdLeavesNothing() throws InterruptedException {
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 1_000, now::get);
        startWaiter();
        future.complete("fast");
        waiter.join(10_000);
        now.addAndGet(5_000);
        assertThat(d.check()).isFalse();
        assertThat(d.findings(Phase.EXITING)).isEmpty();
        assertThat(ledger.openWaits()).isEmpty();
    }

    @Test
    void everyWaitOfAThreadReusesItsRecordAndAShortWaitLeavesNoSnapshot() {
        Object first = ledger.futureWaitStarted(future);
        ledger.futureWaitEnded(first);
        Object second = ledger.futureWaitStarted(new CompletableFuture<>());
        ledger.futureWaitEnded(second);
        assertThat(second).as("the same per-thread level, no allocation per wait").isSameAs(first);
        assertThat(ledger.openWaits()).isEmpty();
        assertThat(((ThreadWaits.Level) first).snapshot()).as("never seen by the watch").isNull();
    }

    @Test
    void aFutureCreatedInApplicationCodeNamesItsCreationSite() throws InterruptedException {
        CompletableFuture<String> created = AppCode.createFuture(ledger);
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 1_000, now::get);
        waiter = new Thread(() -> AppCode.waitOn(ledger, created), "waiter");
        waiter.start();
        try {
            awaitOpenWaits(1, waiter);
            now.addAndGet(1_000);
            assertThat(d.check()).isTrue();
            Finding f = d.findings(Phase.RUNNING).get(0);
            String line = "AppCode.java:" + AppCode.CREATED_LINE;
            assertThat(f.details()).containsEntry("createdAt", line);
            assertThat(f.sites()).anySatisfy(site -> {
                assertThat(site.role()).isEqualTo("future created");
                assertThat(site.location()).isEqualTo(line);
            });
            assertThat(f.title()).contains("(created at " + line + ")");
        } finally {
            created.complete("done");
        }
    }

    @Test
    void onlyTheInnermostOfNestedWaitsIsReported() throws InterruptedException {
        CompletableFuture<String> inner = new CompletableFuture<>();
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 1_000, now::get);
        waiter = new Thread(() -> AppCode.waitNested(ledger, future, inner), "waiter");
        waiter.start();
        try {
            awaitOpenWaits(1, waiter);
            now.addAndGet(1_000);
            assertThat(d.check()).isTrue();
            assertThat(d.findings(Phase.RUNNING)).singleElement().satisfies(f ->
                    assertThat((String) f.details().get("waitingOn"))
                            .startsWith("CompletableFuture@" + Integer.toHexString(System.identityHashCode(inner))));
        } finally {
            inner.complete("done");
        }
    }

    @Test
    void anOuterWaitWhoseNestedWaitEndedMadeProgressAndStartsAfresh() throws InterruptedException {
        CompletableFuture<String> inner = new CompletableFuture<>();
        FutureWaitDetector d = new FutureWaitDetector(ledger, stacks, 1_000, now::get);
        waiter = new Thread(() -> AppCode.waitNested(ledger, future, inner), "waiter");
        waiter.start();
        awaitOpenWaits(1, waiter); // both waits seen now
        now.addAndGet(600);
        inner.complete("helped");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(ledger.openWaits().size() == 1 && ledger.openWaits().get(0).future == future
                && waiter.getState() == Thread.State.WAITING)) {
            assertThat(System.nanoTime()).as("waiter back in the outer join()").isLessThan(deadline);
            Thread.sleep(5);
        }
        now.addAndGet(500);
        assertThat(d.check()).as("1.1 s since the outer wait began, 0.5 s since its last progress").isFalse();
        now.addAndGet(500);
        assertThat(d.check()).isTrue();
        assertThat(d.findings(Phase.RUNNING)).singleElement().satisfies(f ->
                assertThat(f.details()).containsEntry("waitingMillis", 1_000L));
    }

    private void awaitOpenWaits(int n, Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(ledger.openWaits().size() == n && t.getState() == Thread.State.WAITING)) {
            assertThat(System.nanoTime()).as("waiter blocked in join()").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void cancelledTimeoutsRetainedInASchedulerAreATimerPileUp() {
        scheduler = AppCode.newScheduler(ledger);
        TimerPileUpDetector d = new TimerPileUpDetector(ledger);
        for (int i = 0; i < ExecutorLedger.PILE_UP_MARK - 1; i++) {
            AppCode.scheduleAndCancel(ledger, scheduler);
        }
        assertThat(d.findings(Phase.RUNNING)).as("below the mark").isEmpty();
        for (int i = 0; i < 300; i++) {
            AppCode.scheduleAndCancel(ledger, scheduler);
        }
        assertThat(d.findings(Phase.RUNNING)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("timer-pile-up");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.primaryLocation()).startsWith("AppCode.java:");
            assertThat(f.details()).containsEntry("reason", "cancelled-retained").containsEntry("queued", 1_024)
                    .containsEntry("cancelled", 1_023).containsEntry("removeOnCancel", false);
        });
    }

    @Test
    void cancelledTimeoutsRemovedAtOnceAreNoPileUp() {
        scheduler = AppCode.newScheduler(ledger);
        scheduler.setRemoveOnCancelPolicy(true);
        TimerPileUpDetector d = new TimerPileUpDetector(ledger);
        for (int i = 0; i < 3 * ExecutorLedger.PILE_UP_MARK; i++) {
            AppCode.scheduleAndCancel(ledger, scheduler);
        }
        assertThat(d.findings(Phase.RUNNING)).isEmpty();
    }

    @Test
    void aTaskRunningPastLongTaskIsReportedOnceWhileItRuns() {
        java.util.concurrent.ThreadPoolExecutor pool = AppCode.newPool(ledger);
        try {
            LongTaskDetector d = new LongTaskDetector(ledger, stacks, 2_000, now::get);
            Object task = new Object();
            AppCode.submit(ledger, pool, task);
            ledger.taskStarted(pool, task);
            now.addAndGet(1_999);
            assertThat(d.check()).isFalse();
            now.addAndGet(1);
            assertThat(d.check()).isTrue();
            assertThat(d.check()).as("once per task").isFalse();
            assertThat(d.findings(Phase.RUNNING)).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo("task-leak");
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.primaryLocation()).startsWith("AppCode.java:");
                assertThat(f.details()).containsEntry("reason", "running-too-long").containsEntry("count", 1)
                        .containsEntry("thresholdMillis", 2_000L);
            });
            ledger.taskFinished(pool, task, null);
            assertThat(ledger.taskLifetimes()).singleElement().satisfies(t -> {
                assertThat(t.state()).isEqualTo("completed");
                assertThat(t.submittedAt()).startsWith("AppCode.java:");
            });
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void longTaskZeroTurnsItOff() {
        java.util.concurrent.ThreadPoolExecutor pool = AppCode.newPool(ledger);
        try {
            LongTaskDetector d = new LongTaskDetector(ledger, stacks, 0, now::get);
            Object task = new Object();
            AppCode.submit(ledger, pool, task);
            ledger.taskStarted(pool, task);
            now.addAndGet(3_600_000);
            assertThat(d.check()).isFalse();
            assertThat(d.findings(Phase.RUNNING)).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
