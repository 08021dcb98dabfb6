package dev.vigil.agent.locks;

import dev.vigil.agent.stack.SiteRef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** A deadlock reported by a lock hook: its shape, reported once, and the scope reset. */
class DeadlockWatchTest {

    private final DeadlockWatch watch = new DeadlockWatch(0, new StackFrames(PackageFilter.all()), null);
    private final Thread alice = new Thread(() -> { }, "alice-to-bob");
    private final Thread bob = new Thread(() -> { }, "bob-to-alice");
    private final Object aliceLock = new ReentrantLock();
    private final Object bobLock = new ReentrantLock();

    private static String site(int line) {
        return SiteRef.application("dev.x.Bank", "transfer", line);
    }

    /** alice holds aliceLock (line 10) and waits at line 11 for bobLock; bob the other way (20, 21). */
    private List<DeadlockWatch.Blocked> cycle() {
        return List.of(new DeadlockWatch.Blocked(alice, bobLock, site(20), aliceLock, site(11)),
                new DeadlockWatch.Blocked(bob, aliceLock, site(10), bobLock, site(21)));
    }

    @Test
    void aHookDeadlockIsOneFindingWithBothThreadsAndIsReportedOnce() {
        watch.reportFromHook(cycle());
        watch.reportFromHook(List.of(cycle().get(1), cycle().get(0))); // the other thread saw it too

        List<Finding> found = watch.findings(Phase.RUNNING);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKinds.DEADLOCK);
            assertThat(f.details()).containsEntry("detectedBy", "hook");
            assertThat(f.threads()).extracting(t -> t.name()).containsExactlyInAnyOrder("alice-to-bob", "bob-to-alice");
            assertThat(f.sites()).hasSize(4);
            assertThat(f.sites()).extracting(s -> s.location())
                    .containsExactlyInAnyOrder("Bank.java:10", "Bank.java:11", "Bank.java:20", "Bank.java:21");
        });
    }

    @Test
    void resetScopeDropsFoundDeadlocksAndTheSameDeadlockIsNotFoundAgain() {
        watch.reportFromHook(cycle());
        assertThat(watch.findings(Phase.RUNNING)).hasSize(1);

        watch.resetScope();
        assertThat(watch.findings(Phase.RUNNING)).isEmpty();
        watch.reportFromHook(cycle());
        assertThat(watch.findings(Phase.RUNNING)).as("the same threads, still deadlocked").isEmpty();

        Thread carol = new Thread(() -> { }, "carol");
        watch.reportFromHook(List.of(new DeadlockWatch.Blocked(carol, bobLock, site(30), aliceLock, site(31)),
                new DeadlockWatch.Blocked(bob, aliceLock, site(10), bobLock, site(21))));
        assertThat(watch.findings(Phase.RUNNING)).as("a new deadlock after the reset").hasSize(1);
    }

    @Test
    void aThreadStillInsideItsLockHookIsShownFromItsLockCallOn() {
        StackTraceElement[] inHook = {
            new StackTraceElement("java.lang.invoke.CallSite", "makeSite", "CallSite.java", 310),
            new StackTraceElement("dev.vigil.agent.locks.LockTracker", "blocking", "LockTracker.java", 130),
            new StackTraceElement("dev.vigil.bootstrap.LockCalls", "lock", "LockCalls.java", 30),
            new StackTraceElement("app.Bank", "transfer", "Bank.java", 41),
        };
        assertThat(DeadlockWatch.belowLockHook(inHook)).isEqualTo(3);
        StackTraceElement[] parked = {
            new StackTraceElement("jdk.internal.misc.Unsafe", "park", "Unsafe.java", -2),
            new StackTraceElement("app.Bank", "transfer", "Bank.java", 41),
        };
        assertThat(DeadlockWatch.belowLockHook(parked)).isEqualTo(-1);
        StackTraceElement[] inMonitorHook = {
            new StackTraceElement("dev.vigil.agent.locks.LockTracker", "monitorAcquired", "LockTracker.java", 99),
            new StackTraceElement("dev.vigil.bootstrap.VigilHooks", "monitorAcquired", "VigilHooks.java", 230),
            new StackTraceElement("app.Bank", "transfer", "Bank.java", 30),
        };
        assertThat(DeadlockWatch.belowLockHook(inMonitorHook)).isEqualTo(2);
        StackTraceElement[] inLockCallsHook = {
            new StackTraceElement("dev.vigil.bootstrap.VigilHooks", "lockBlocking", "VigilHooks.java", 260),
            new StackTraceElement("dev.vigil.bootstrap.LockCalls", "lock", "LockCalls.java", 30),
            new StackTraceElement("app.Bank", "transfer", "Bank.java", 41),
        };
        assertThat(DeadlockWatch.belowLockHook(inLockCallsHook)).isEqualTo(2);
    }
}
