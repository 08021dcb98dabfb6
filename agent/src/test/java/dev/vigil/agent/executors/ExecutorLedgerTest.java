package dev.vigil.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.app.AppCode;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor ledger and its detectors, driven the way the hooks drive them. */
class ExecutorLedgerTest {

    private final ExecutorLedger ledger = new ExecutorLedger(
            new StackFrames(PackageFilter.of("com.example.*", "")), System::currentTimeMillis);
    private final UnobservedFailureDetector failures = new UnobservedFailureDetector(ledger);
    private final ExecutorLeakDetector leaks = new ExecutorLeakDetector(ledger);
    private ThreadPoolExecutor pool;

    @AfterEach
    void shutdown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureReadAfterItHappenedIsNotReported() {
        CompletableFuture<String> f = new CompletableFuture<>();
        ledger.futureFailed(f, AppCode.failure("boom"), false);
        ledger.futureObserved(f);
        assertThat(failures.findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void aFailureSomeoneWasWaitingForIsNotReported() {
        ledger.futureFailed(new CompletableFuture<String>(), AppCode.failure("boom"), true);
        assertThat(failures.findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void anUnreadFailureIsReportedAtExitButNotWhileTheFutureIsReachable() {
        CompletableFuture<String> f = new CompletableFuture<>();
        ledger.futureFailed(f, AppCode.failure("boom"), false);
        assertThat(failures.findings(Phase.RUNNING)).as("it may still be read").isEmpty();
        List<Finding> atExit = failures.findings(Phase.EXITING);
        assertThat(atExit).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo("unobserved-failure");
            assertThat(x.primaryLocation()).startsWith("AppCode.java:");
            assertThat(x.details()).containsEntry("exception", "java.lang.IllegalStateException")
                    .containsEntry("exceptionMessage", "boom");
        });
        assertThat(f).isNotNull(); // reachable until here
    }

    @Test
    void aTaskInterruptedByItsExecutorsShutdownNowWasCancelledNotFailed() {
        pool = AppCode.newPool(ledger);
        FutureTask<String> cancelled = new FutureTask<>(() -> "never");
        FutureTask<String> broken = new FutureTask<>(() -> "never");
        AppCode.submit(ledger, pool, cancelled);
        AppCode.submit(ledger, pool, broken);
        ledger.executorStoppedNow(pool); // shutdownNow(): its running tasks are interrupted
        ledger.futureFailed(cancelled, AppCode.interrupted(), false);
        ledger.futureFailed(broken, AppCode.failure("boom"), false);
        assertThat(failures.findings(Phase.EXITING)).as("only the failure that is not the interrupt")
                .singleElement().satisfies(x -> assertThat(x.details())
                        .containsEntry("exception", "java.lang.IllegalStateException"));
    }

    @Test
    void anInterruptedTaskOfAnExecutorNobodyStoppedIsAnUnreadFailure() {
        pool = AppCode.newPool(ledger);
        FutureTask<String> task = new FutureTask<>(() -> "never");
        AppCode.submit(ledger, pool, task);
        ledger.executorShutdown(pool); // shutdown() interrupts no running task
        ledger.futureFailed(task, AppCode.interrupted(), false);
        assertThat(failures.findings(Phase.EXITING)).singleElement().satisfies(x -> assertThat(x.details())
                .containsEntry("exception", "java.lang.InterruptedException"));
    }

    @Test
    void failuresOfTheJdksOwnMachineryAreIgnored() {
        ledger.futureFailed(new FutureTask<>(() -> null), new IllegalStateException("no app frame"), false);
        assertThat(failures.findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void executorsAreHeldWeaklyAndForgottenWhenCollected() throws Exception {
        ThreadPoolExecutor p = AppCode.newPool(ledger);
        assertThat(leaks.findings(Phase.EXITING)).singleElement()
                .satisfies(x -> assertThat(x.details()).containsEntry("reason", "never-shut-down"));
        p = null;
        for (int i = 0; i < 50 && !ledger.executors().isEmpty(); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ledger.executors()).as("an idle, unreferenced pool with no threads is collectable").isEmpty();
    }

    @Test
    void aShutDownExecutorIsNotALeakAndItsOpenTasksAreAtExit() {
        pool = AppCode.newPool(ledger);
        Runnable task = () -> { };
        AppCode.submit(ledger, pool, task);
        ledger.executorShutdown(pool);
        List<Finding> found = leaks.findings(Phase.EXITING);
        assertThat(found).extracting(Finding::kind).containsExactly("task-leak");
        assertThat(found.get(0).details()).containsEntry("queued", 1).containsEntry("running", 0);
        ledger.taskStarted(pool, task);
        ledger.taskFinished(pool, task, null);
        assertThat(leaks.findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void aFailurePassedAlongAChainIsObservedWhenAnyFutureOfTheChainIs() {
        // allOf(a, b, c): a's failure reaches an internal relay, then the future join() waits on.
        RuntimeException boom = AppCode.failure("boom");
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> relay = new CompletableFuture<>();
        ledger.futureFailed(source, boom, false);
        ledger.futureFailed(relay, new java.util.concurrent.CompletionException(boom), false);
        assertThat(failures.findings(Phase.EXITING)).as("nobody has read it yet").hasSize(1);
        ledger.futureFailed(new CompletableFuture<String>(), new java.util.concurrent.CompletionException(boom), true);
        assertThat(failures.findings(Phase.EXITING)).isEmpty();
        assertThat(List.of(source, relay)).hasSize(2); // both reachable until here
    }

    @Test
    void aDroppedChainIsOneFailureNotOnePerStage() {
        RuntimeException boom = AppCode.failure("boom");
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> dependent = new CompletableFuture<>();
        ledger.futureFailed(source, boom, false);
        ledger.futureFailed(dependent, new java.util.concurrent.CompletionException(boom), false);
        assertThat(failures.findings(Phase.EXITING)).singleElement()
                .satisfies(f -> assertThat(f.details()).containsEntry("count", 1));
        assertThat(List.of(source, dependent)).hasSize(2);
    }

    @Test
    void aScopeResetForgetsWhatCameBefore() {
        pool = AppCode.newPool(ledger);
        AppCode.submit(ledger, pool, (Runnable) () -> { });
        CompletableFuture<String> f = new CompletableFuture<>();
        ledger.futureFailed(f, AppCode.failure("before"), false);
        leaks.resetScope();
        assertThat(leaks.findings(Phase.EXITING)).isEmpty();
        assertThat(failures.findings(Phase.EXITING)).isEmpty();
        ThreadPoolExecutor after = AppCode.newPool(ledger);
        try {
            assertThat(leaks.findings(Phase.EXITING)).singleElement()
                    .satisfies(x -> assertThat(x.kind()).isEqualTo("executor-leak"));
        } finally {
            after.shutdownNow();
        }
        assertThat(f).isNotNull();
    }

    @Test
    void theTaskTimelineKeepsOpenTasksAndTheOutcomeOfFinishedOnes() {
        pool = AppCode.newPool(ledger);
        FutureTask<String> failing = new FutureTask<>(() -> "x");
        FutureTask<String> fine = new FutureTask<>(() -> "y");
        FutureTask<String> queued = new FutureTask<>(() -> "z");
        AppCode.submit(ledger, pool, failing);
        AppCode.submit(ledger, pool, fine);
        AppCode.submit(ledger, pool, queued);
        ledger.taskStarted(pool, failing);
        ledger.futureFailed(failing, AppCode.failure("boom"), true); // someone waits: read, but still a failure
        ledger.taskFinished(pool, failing, null);
        ledger.taskStarted(pool, fine);
        ledger.taskFinished(pool, fine, null);
        assertThat(ledger.taskLifetimes()).extracting(t -> t.state())
                .containsExactly("failed", "completed", "queued");
        assertThat(ledger.taskLifetimes()).allSatisfy(t -> assertThat(t.submittedAt()).startsWith("AppCode.java:"));
        assertThat(ledger.truncated()).containsEntry("tasksNotListed", 0L);
    }
}
