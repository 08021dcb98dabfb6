package dev.vigil.agent.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Severity;
import com.example.app.AppCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger and the leak detector without an agent: the test calls the listener the way the
 * hooks do, with real threads, from a start site in {@link AppCode} (which counts as application code).
 */
class ThreadLedgerTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final StackFrames stacks = new StackFrames(PackageFilter.of("com.example.*", ""));
    private final List<Thread> started = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopThreads() throws InterruptedException {
        release.countDown();
        for (Thread t : started) {
            t.join();
        }
    }

    /** Starts a parked thread and tells the ledger, as the Thread.start() hook would. */
    private Thread startVia(ThreadLedger ledger, String name, boolean daemon) {
        Thread t = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(daemon);
        AppCode.start(ledger, t);
        started.add(t);
        awaitParked(t);
        return t;
    }

    /** Tests assert what a parked thread is doing: wait (bounded) until it is parked, not a fixed time. */
    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " never parked: " + t.getState());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void groupsLiveApplicationThreadsBySiteAtExit() {
        ThreadLedger ledger = new ThreadLedger(stacks, 64, clock::get);
        for (int i = 0; i < 3; i++) {
            startVia(ledger, "w" + i, true);
        }
        List<Finding> findings = new ThreadLeakDetector(ledger, new ThreadRefs(stacks)).findings(Phase.EXITING);

        assertThat(findings).hasSize(1);
        Finding f = findings.get(0);
        assertThat(f.kind()).isEqualTo("thread-leak");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.details()).containsEntry("count", 3).containsEntry("reason", "alive-at-exit");
        assertThat(f.primaryLocation()).startsWith("AppCode.java:");
        assertThat(f.threads()).hasSize(3).allSatisfy(t -> assertThat(t.state()).isEqualTo("WAITING"));
    }

    @Test
    void nonDaemonThreadsBlockExitAfterMainReturned() {
        ThreadLedger ledger = new ThreadLedger(stacks, 64, clock::get);
        startVia(ledger, "stuck", false);
        ThreadLeakDetector detector = new ThreadLeakDetector(ledger, new ThreadRefs(stacks));

        assertThat(detector.findings(Phase.RUNNING)).as("a live thread is not a leak while the program runs").isEmpty();
        Finding f = detector.findings(Phase.EXIT_BLOCKED).get(0);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.details()).containsEntry("reason", "blocking-exit");
        assertThat(f.message()).contains("keeps the JVM alive");
    }

    @Test
    void growthIsFlaggedWhileRunningOnceASiteReachesTheLimit() {
        ThreadLedger ledger = new ThreadLedger(stacks, 4, clock::get);
        ThreadLeakDetector detector = new ThreadLeakDetector(ledger, new ThreadRefs(stacks));
        for (int i = 0; i < 3; i++) {
            startVia(ledger, "req" + i, true);
        }
        assertThat(detector.findings(Phase.RUNNING)).isEmpty();
        startVia(ledger, "req3", true);
        Finding f = detector.findings(Phase.RUNNING).get(0);
        assertThat(f.details()).containsEntry("reason", "growing").containsEntry("count", 4).containsEntry("peakLiveAtSite", 4);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void endedThreadsAreNotLeaksAndKeepTheirLifetime() throws InterruptedException {
        ThreadLedger ledger = new ThreadLedger(stacks, 64, clock::get);
        Thread t = new Thread(() -> { }, "short");
        AppCode.start(ledger, t);
        t.join();
        clock.set(2_000);
        ledger.exiting(t);

        assertThat(ledger.live()).isEmpty();
        assertThat(ledger.ended()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("short");
            assertThat(e.startMillis()).isEqualTo(1_000);
            assertThat(e.endMillis()).isEqualTo(2_000);
            assertThat(e.origin()).isEqualTo(ThreadOrigin.APPLICATION);
        });
        assertThat(new ThreadLeakDetector(ledger, new ThreadRefs(stacks)).findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void aThreadWhoseExitWasMissedIsRetiredWhenSeenTerminated() throws InterruptedException {
        ThreadLedger ledger = new ThreadLedger(stacks, 64, clock::get);
        Thread t = new Thread(() -> { }, "no-exit-hook");
        AppCode.start(ledger, t);
        t.join();
        assertThat(ledger.live()).isEmpty();
        assertThat(ledger.ended()).hasSize(1);
    }

    @Test
    void threadsStartedWithoutApplicationFramesBelongToTheJdk() {
        StackFrames noApp = new StackFrames(PackageFilter.of("com.nowhere.*", ""));
        ThreadLedger ledger = new ThreadLedger(noApp, 64, clock::get);
        startVia(ledger, "jdk-ish", true);
        assertThat(ledger.live()).singleElement().extracting(ThreadEntry::origin).isEqualTo(ThreadOrigin.JDK);
        assertThat(new ThreadLeakDetector(ledger, new ThreadRefs(noApp)).findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void endedThreadsAreBoundedAndTheOverflowIsCounted() throws InterruptedException {
        ThreadLedger ledger = new ThreadLedger(stacks, 64, clock::get);
        int n = ThreadLedger.MAX_ENDED + 25;
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> { });
            AppCode.announce(ledger, t);
            ledger.exiting(t);
        }
        assertThat(ledger.ended()).hasSize(ThreadLedger.MAX_ENDED);
        assertThat(ledger.endedForgotten()).isEqualTo(25);
    }

    @Test
    void startFailureForgetsTheThread() {
        ThreadLedger ledger = new ThreadLedger(stacks, 64, clock::get);
        Thread t = new Thread(() -> { });
        AppCode.announce(ledger, t);
        ledger.startFailed(t);
        assertThat(ledger.live()).isEmpty();
        assertThat(ledger.sites()).singleElement().extracting(StartSite::live).isEqualTo(0);
    }

    @Test
    void resetScopeLeavesThreadsAliveNowOutOfFindingsButNotLaterOnes() {
        ThreadLedger ledger = new ThreadLedger(stacks, 64, clock::get);
        ThreadLeakDetector detector = new ThreadLeakDetector(ledger, new ThreadRefs(stacks));
        startVia(ledger, "before", true);
        assertThat(ledger.resetScope()).isEqualTo(1);
        assertThat(detector.findings(Phase.EXITING)).isEmpty();

        startVia(ledger, "after", true);
        List<Finding> findings = detector.findings(Phase.EXITING);
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).threads()).extracting(t -> t.name()).containsExactly("after");
    }
}
