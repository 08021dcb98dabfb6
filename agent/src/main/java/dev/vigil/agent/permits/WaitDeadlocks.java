package dev.vigil.agent.permits;

import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.stack.SiteFrames;
import dev.vigil.agent.locks.LockFindingShape;
import dev.vigil.agent.locks.LockLabels;
import dev.vigil.bootstrap.SyncListener;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Deadlocks through a wait (issue 18 part 2; lockdep counts a wait as a dependency): thread A waits
 * (on a monitor, latch, semaphore, phaser...) while it holds a lock L, and a thread B that Vigil
 * knows as a releaser of that wait (it notified the monitor, counted the latch down, holds the
 * permits...) is blocked taking L, owned by A. Neither can proceed; neither the JVM's deadlock
 * search (no lock cycle) nor the stuck-wait threshold says so. Reported as a {@code deadlock}
 * ({@code details.detectedBy: wait}) once the same A, wait object, L and B are seen on two looks in a
 * row of the stuck-wait watch (a tick apart), and once per such pair of threads.
 *
 * <p>Cost: a look asks the lock tracker which locks each waiting thread holds (its own arrays, no
 * lock); only when one holds a lock does it ask the JVM which threads are blocked and on whose lock
 * ({@code ThreadMXBean.getThreadInfo} without stacks). Waits on a condition or {@code park} have no
 * known releaser and are never judged here.
 */
public final class WaitDeadlocks {

    /** The locks {@code thread} holds now, each {@code [lock node, site]}: a monitor, or a j.u.c lock's synchronizer. */
    public interface LocksHeld {
        List<Object[]> of(Thread thread);
    }

    static final int MAX_REPORTED = 64;

    static final String HOW_TO_FIX = "Never wait while holding a lock that the thread which would release the wait "
            + "needs: release the lock before waiting (or wait on that lock itself, or on a Condition of it, which "
            + "releases it while waiting), or let the releaser do its part without taking the lock. A timeout on the "
            + "wait only turns the hang into a retry loop.";

    private final StuckWaitWatch watch;
    private final SyncTracker tracker;
    private final StackFrames stacks;
    private final SiteFrames siteFrames;
    private final ThreadRefs threadRefs;
    private volatile LocksHeld locksHeld = t -> List.of();
    private ThreadMXBean mx;
    /** Suspects of the last look: waiter id, wait object's hash, lock's hash, blocked releaser id. */
    private Set<String> suspects = new HashSet<>();
    private final Set<String> reportedPairs = new HashSet<>();
    private final List<Finding> found = new CopyOnWriteArrayList<>();

    WaitDeadlocks(StuckWaitWatch watch, SyncTracker tracker, StackFrames stacks, ThreadRefs threadRefs) {
        this.watch = watch;
        this.tracker = tracker;
        this.stacks = stacks;
        this.siteFrames = new SiteFrames(stacks);
        this.threadRefs = threadRefs;
    }

    void locksHeld(LocksHeld held) {
        this.locksHeld = held;
    }

    List<Finding> found() {
        return found;
    }

    synchronized void resetScope() {
        found.clear();
    }

    /** One look, on the watch's thread; true when a new deadlock was found. */
    synchronized boolean check() {
        List<ThreadInfo> blocked = null;
        Set<String> now = new HashSet<>();
        boolean fresh = false;
        for (WaitRecord w : tracker.waits) {
            Object on = w.on.get();
            if (w.endMillis != 0 || on == null) {
                continue;
            }
            List<Object[]> held = locksHeld.of(w.thread);
            if (held.isEmpty()) {
                continue;
            }
            if (blocked == null) {
                blocked = blockedOnOwnedLocks();
            }
            long waiterId = ThreadFacts.id(w.thread);
            for (ThreadInfo b : blocked) {
                if (b.getLockOwnerId() != waiterId) {
                    continue;
                }
                Object[] lock = heldLock(held, b.getLockInfo());
                StuckWaitWatch.Releaser releaser = lock == null ? null : releaser(w, on, b.getThreadId());
                if (releaser == null || !noOtherCanRelease(w, on, blocked, waiterId)) {
                    continue;
                }
                String key = waiterId + ":" + w.onHash + ":" + System.identityHashCode(lock[0]) + ":" + b.getThreadId();
                now.add(key);
                String pair = waiterId + ":" + b.getThreadId();
                if (suspects.contains(key) && found.size() < MAX_REPORTED && reportedPairs.add(pair)) {
                    found.add(finding(w, on, lock, releaser, b));
                    fresh = true;
                }
            }
        }
        suspects = now;
        return fresh;
    }

    /** Threads blocked (or parked) on a lock that some thread owns. */
    private List<ThreadInfo> blockedOnOwnedLocks() {
        if (mx == null) {
            mx = ManagementFactory.getThreadMXBean();
        }
        List<ThreadInfo> out = new ArrayList<>();
        for (ThreadInfo i : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
            if (i != null && i.getLockOwnerId() >= 0 && i.getLockInfo() != null
                    && (i.getThreadState() == Thread.State.BLOCKED || i.getThreadState() == Thread.State.WAITING)) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Every other known releaser of {@code w} is unable too: ended, blocked on a lock the waiter owns,
     * or waiting itself. A guessed releaser (a latch's likely worker) blocked on the lock while the
     * real one works on is no deadlock.
     */
    private boolean noOtherCanRelease(WaitRecord w, Object on, List<ThreadInfo> blocked, long waiterId) {
        for (StuckWaitWatch.Releaser r : watch.releasers(w, on)) {
            if (!r.alive() || r.waitingToo()) {
                continue;
            }
            boolean blockedByWaiter = false;
            for (ThreadInfo b : blocked) {
                blockedByWaiter |= b.getThreadId() == r.threadId() && b.getLockOwnerId() == waiterId;
            }
            if (!blockedByWaiter) {
                return false;
            }
        }
        return true;
    }

    private static Object[] heldLock(List<Object[]> held, LockInfo wanted) {
        for (Object[] h : held) {
            if (h[0] != null && System.identityHashCode(h[0]) == wanted.getIdentityHashCode()
                    && h[0].getClass().getName().equals(wanted.getClassName())) {
                return h;
            }
        }
        return null;
    }

    private StuckWaitWatch.Releaser releaser(WaitRecord w, Object on, long threadId) {
        for (StuckWaitWatch.Releaser r : watch.releasers(w, on)) {
            if (r.threadId() == threadId && r.alive()) {
                return r;
            }
        }
        return null;
    }

    private Finding finding(WaitRecord w, Object on, Object[] lock, StuckWaitWatch.Releaser r, ThreadInfo blocked) {
        Thread a = w.thread;
        String aName = ThreadFacts.name(a);
        String bName = r.name();
        String primitive = StuckWaitWatch.primitiveName(w.primitive);
        String waitingOn = watch.describe(w, on);
        String lockClass = lock[0].getClass().getName();
        String hash = Integer.toHexString(System.identityHashCode(lock[0]));
        String lockLabel = lockClass.startsWith("java.util.concurrent.")
                ? LockLabels.ofClassName(lockClass) + " (sync@" + hash + ")"
                : lockClass.substring(lockClass.lastIndexOf('.') + 1) + "@" + hash;
        List<Frame> aNow = stacks.frames(ThreadFacts.stack(a), 0);
        Thread bThread = r.thread();
        List<Frame> bNow = bThread == null ? List.of() : stacks.frames(ThreadFacts.stack(bThread), 0);

        List<Site> sites = new ArrayList<>();
        String heldSite = (String) lock[1];
        sites.add(StackFrames.site("'" + aName + "' took " + lockLabel, heldSite == null ? aNow : siteFrames.at(heldSite, aNow)));
        sites.add(StackFrames.site("'" + aName + "' waits on " + primitive, siteFrames.at(w.site, aNow)));
        if (r.site() != null) {
            sites.add(StackFrames.site("'" + bName + "' released it before (" + r.role() + ")", siteFrames.at(r.site(), List.of())));
        }
        // A monitor's hook records it just before MONITORENTER: its site is the exact line, where the
        // JVM's stack of a blocked thread shows the next one.
        String blockedSite = null;
        for (Object[] h : bThread == null ? List.<Object[]>of() : locksHeld.of(bThread)) {
            if (h[0] == lock[0]) {
                blockedSite = (String) h[1];
            }
        }
        sites.add(StackFrames.site("'" + bName + "' blocked on " + lockLabel,
                blockedSite == null ? bNow : siteFrames.at(blockedSite, bNow)));

        List<ThreadRef> threads = new ArrayList<>();
        threads.add(threadRefs.of(a, ThreadFacts.id(a), aName, a.isDaemon()));
        threads.add(threadRefs.of(bThread, r.threadId(), bName, bThread != null && bThread.isDaemon()));

        String heldAt = sites.get(0).location();
        String waitAt = sites.get(1).location();
        String blockedAt = sites.get(sites.size() - 1).location();
        String title = "Deadlock: thread '" + aName + "' waits on " + primitive + " " + waitingOn + " at " + waitAt
                + " holding " + lockLabel + ", which '" + bName + "', its releaser, is blocked on at " + blockedAt;
        StringBuilder msg = new StringBuilder().append("Thread '").append(aName).append("' holds ").append(lockLabel)
                .append(" (taken at ").append(heldAt).append(") and waits at ").append(waitAt).append(" on ")
                .append(primitive).append(' ').append(waitingOn).append(". Thread '").append(bName)
                .append("', which Vigil knows releases it (").append(r.role());
        if (r.site() != null) {
            msg.append(", at ").append(sites.get(2).location());
        }
        msg.append("), is ").append(blocked.getThreadState() == Thread.State.BLOCKED ? "blocked" : "waiting")
                .append(" at ").append(blockedAt).append(" to take ").append(lockLabel).append(", held by '")
                .append(aName).append("'. Neither can ever proceed.");

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("detectedBy", "wait");
        details.put("primitive", primitive);
        details.put("waitingOn", waitingOn);
        details.put("lock", lockLabel);
        details.put("waitingThread", aName);
        details.put("releaser", bName);
        details.put("releaserRole", r.role());
        // The lock findings' shape (the page draws it, JFR carries it): L1 the lock, L2 the wait.
        details.put("locks", List.of(Map.of("id", "L1", "label", lockLabel),
                Map.of("id", "L2", "label", primitive + " " + waitingOn)));
        details.put("edges", List.of(
                LockFindingShape.edgeDetail("L1", "L2", aName, ThreadFacts.id(a), 0, 1),
                LockFindingShape.edgeDetail("L2", "L1", bName, r.threadId(), r.site() != null ? 2 : -1, sites.size() - 1)));
        String release = w.primitive == SyncListener.LATCH ? "countDown(L2)"
                : StuckWaitWatch.isMonitor(w.primitive) ? "notify(L2)" : "release(L2)";
        details.put("scenario", Map.of(
                "columns", List.of("Thread 1 (" + aName + ")", "Thread 2 (" + bName + ")"),
                "rows", List.of(List.of("lock(L1)", ""), List.of("wait(L2)", ""), List.of("", "lock(L1): blocked"),
                        List.of("", "never reaches " + release))));
        String fingerprint = Fingerprints.of(FindingKinds.DEADLOCK, "wait", primitive, heldSite, w.site);
        return new Finding(FindingKinds.DEADLOCK, Severity.ERROR, fingerprint, title, msg.toString(), HOW_TO_FIX,
                threads, sites, details);
    }
}
