package dev.vigil.agent.locks;

import dev.vigil.agent.stack.SiteFrames;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadRef;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real deadlocks, monitors and {@code java.util.concurrent} locks alike, found by the JVM
 * ({@code ThreadMXBean.findDeadlockedThreads}) on the scheduler's thread every {@code deadlockCheck}:
 * it does not wait for the JVM to exit, which a deadlocked program may never do. A new deadlock
 * writes the report at once (the process is hung and may be killed next) and is reported once.
 */
public final class DeadlockWatch implements Detector {

    static final String HOW_TO_FIX = "These threads will never proceed: the process must be restarted. "
            + "To prevent it: (1) one global order — every path takes these locks in the same order; "
            + "(2) don't call out while holding a lock — release it before calling code that takes other locks; "
            + "or use tryLock with a timeout and back off. Look for the lock-order-cycle finding over the same sites.";

    static final String UPGRADE_FIX = "This thread will never proceed: the process must be restarted. "
            + "A ReentrantReadWriteLock cannot be upgraded from read to write: release the read lock before "
            + "taking the write lock (and check again what you read), or take the write lock from the start; "
            + "downgrading (write, then read, then release write) is allowed. StampedLock.tryConvertToWriteLock "
            + "is the upgradable alternative.";

    /** Created on the watch's own thread, never in premain (java.util.logging managers of app servers). */
    private ThreadMXBean mx;
    private final long intervalMillis;
    private final StackFrames stacks;
    private final SiteFrames siteFrames;
    private final LockTracker tracker;
    private final List<Finding> found = new CopyOnWriteArrayList<>();
    private volatile Runnable waker = () -> { };
    private volatile boolean hookFound;
    private final Set<String> reportedThreads = new HashSet<>();
    /** Class-initialization deadlocks, looked for at most every {@link ClassInitDeadlocks#LOOK_MILLIS}. */
    private final ClassInitDeadlocks classInit;

    public DeadlockWatch(long intervalMillis, StackFrames stacks, LockTracker tracker) {
        this.intervalMillis = intervalMillis;
        this.stacks = stacks;
        this.siteFrames = new SiteFrames(stacks);
        this.tracker = tracker;
        this.classInit = new ClassInitDeadlocks(stacks, tracker);
    }

    /**
     * How often {@link #tick} runs on the scheduler: {@code deadlockCheck}, or with the JVM's check
     * off ({@code deadlockCheck=0}) once a second, for the deadlocks the lock hooks find.
     */
    public long periodMillis() {
        return intervalMillis > 0 ? intervalMillis : 1_000;
    }

    /** What makes the scheduler run {@link #tick} at once: a lock hook found a deadlock. */
    public void wakeWith(Runnable waker) {
        this.waker = waker;
    }

    /**
     * One look, on the scheduler's thread: {@code deadlock} when a new deadlock was found (by the
     * JVM now, or by a lock hook since the last look), else null.
     */
    public String tick() {
        boolean fresh = hookFound;
        hookFound = false;
        if (intervalMillis > 0) {
            fresh |= check();
        }
        return fresh ? "deadlock" : null;
    }

    @Override
    public List<Finding> findings(Phase phase) {
        return new ArrayList<>(found);
    }

    /** Deadlocks found so far are no longer reported; they are not found again either (same threads). */
    @Override
    public void resetScope() {
        found.clear();
    }

    /** Looks for deadlocked threads now; true when a new deadlock was found. */
    public synchronized boolean check() {
        if (mx == null) {
            mx = ManagementFactory.getThreadMXBean();
        }
        boolean any = false;
        for (Finding f : classInit.look()) {
            found.add(f);
            any = true;
        }
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) {
            return any;
        }
        ThreadInfo[] infos = mx.getThreadInfo(ids, true, true);
        Map<Long, ThreadInfo> byId = new HashMap<>();
        for (ThreadInfo i : infos) {
            if (i != null) {
                byId.put(i.getThreadId(), i);
            }
        }
        Set<Long> done = new HashSet<>();
        for (ThreadInfo start : byId.values()) {
            if (done.contains(start.getThreadId())) {
                continue;
            }
            List<ThreadInfo> cycle = cycleFrom(start, byId);
            for (ThreadInfo t : cycle) {
                done.add(t.getThreadId());
            }
            if (cycle.isEmpty()) {
                continue;
            }
            if (firstReport(cycle.stream().map(ThreadInfo::getThreadId).toList())) {
                found.add(finding(waiters(cycle), "watch"));
                any = true;
            }
        }
        return any;
    }

    /** True the first time a deadlock among exactly these threads is seen, by the watch or a hook. */
    private synchronized boolean firstReport(List<Long> threadIds) {
        List<Long> key = new ArrayList<>(threadIds);
        key.sort(null);
        return reportedThreads.add(key.toString());
    }

    /**
     * A deadlock seen by a lock hook, just before its calling thread blocks for ever: recorded on
     * that thread and written at once by the scheduler (woken), unless the watch or another hook
     * already reported a deadlock among the same threads.
     */
    private void reportFromHookWaiters(List<Waiter> cycle) {
        List<Long> ids = new ArrayList<>();
        for (Waiter w : cycle) {
            ids.add(w.threadId());
        }
        if (!firstReport(ids)) {
            return;
        }
        found.add(finding(cycle, "hook"));
        hookFound = true;
        waker.run();
    }

    /**
     * A thread of a wait cycle seen by a lock hook: it holds {@code heldNode} (taken at
     * {@code heldSite}) and waits for {@code wantedNode} at {@code wantedSite}.
     */
    record Blocked(Thread thread, Object heldNode, String heldSite, Object wantedNode, String wantedSite) {
    }

    /**
     * Reports a deadlock a lock hook found on the calling thread, which is about to block on the
     * last lock of the cycle (see {@link LockTracker#blocking} and the monitor hook).
     */
    void reportFromHook(List<Blocked> cycle) {
        List<Waiter> waiters = new ArrayList<>();
        Thread self = Thread.currentThread();
        for (Blocked b : cycle) {
            Thread t = b.thread();
            boolean me = t == self;
            StackTraceElement[] raw = me ? new Throwable().getStackTrace() : ThreadFacts.stack(t);
            int below = belowLockHook(raw);
            List<Frame> now = me ? siteFrames.fromCapture(raw) : stacks.frames(raw, Math.max(0, below));
            // The calling thread, and any other thread of the cycle still inside its own lock hook
            // (both can find the cycle at once), is on its way to park in lock(): WAITING in a
            // moment, for ever. Its frames start at the application's lock() call, not in Vigil.
            // A thread that waits for a monitor is BLOCKED; for a java.util.concurrent lock, WAITING.
            String blocked = b.wantedNode() instanceof java.util.concurrent.locks.AbstractOwnableSynchronizer
                    ? Thread.State.WAITING.name() : Thread.State.BLOCKED.name();
            String state = me || below > 0 ? blocked : ThreadFacts.state(t).name();
            waiters.add(new Waiter(ThreadFacts.id(t), ThreadFacts.name(t), t.isDaemon(), state, now,
                    key(b.heldNode()), b.heldNode().getClass().getName(),
                    b.heldSite() == null ? now : siteFrames.at(b.heldSite(), now),
                    key(b.wantedNode()), b.wantedNode().getClass().getName(),
                    b.wantedSite() == null ? now : siteFrames.at(b.wantedSite(), now)));
        }
        reportFromHookWaiters(waiters);
    }

    /**
     * The index just below Vigil's hook frames in {@code raw} (the {@code LockCalls} stand-in, or
     * the monitor hook called by instrumented code), or -1 when the thread is not in one.
     */
    static int belowLockHook(StackTraceElement[] raw) {
        int below = -1;
        for (int i = 0; i < raw.length; i++) {
            String c = raw[i].getClassName();
            if (c.equals("dev.vigil.bootstrap.LockCalls") || c.equals("dev.vigil.bootstrap.VigilHooks")) {
                below = i + 1;
            }
        }
        return below;
    }

    /** Follows "waits for a lock owned by" from {@code start} until it comes back; empty if it does not. */
    private static List<ThreadInfo> cycleFrom(ThreadInfo start, Map<Long, ThreadInfo> byId) {
        List<ThreadInfo> path = new ArrayList<>();
        ThreadInfo t = start;
        while (t != null && !path.contains(t)) {
            path.add(t);
            t = byId.get(t.getLockOwnerId());
        }
        if (t == null) {
            return List.of();
        }
        return new ArrayList<>(path.subList(path.indexOf(t), path.size()));
    }

    /**
     * One thread of a wait cycle: it holds {@code held} (which the previous thread of the cycle
     * waits for) and waits for {@code wanted}; lock keys are {@code class@identityHash}, as the
     * JVM names locks.
     */
    record Waiter(long threadId, String threadName, boolean daemon, String state, List<Frame> now,
                  String heldKey, String heldClass, List<Frame> heldFrames,
                  String wantedKey, String wantedClass, List<Frame> wantedFrames) {
    }

    private List<Waiter> waiters(List<ThreadInfo> cycle) {
        int n = cycle.size();
        List<Waiter> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ThreadInfo t = cycle.get(i);
            ThreadInfo previous = cycle.get((i + n - 1) % n);
            LockInfo held = previous.getLockInfo();   // what the previous thread waits for, t owns
            LockInfo wanted = t.getLockInfo();
            List<Frame> now = stacks.frames(t.getStackTrace(), 0);
            out.add(new Waiter(t.getThreadId(), t.getThreadName(), t.isDaemon(), t.getThreadState().name(), now,
                    key(held), held.getClassName(), heldFrames(t, held, now),
                    key(wanted), wanted.getClassName(), wantedFrames(t, wanted, now)));
        }
        return out;
    }

    /** @param detectedBy {@code watch} (the JVM's deadlock search) or {@code hook} (a lock hook, before blocking) */
    Finding finding(List<Waiter> cycle, String detectedBy) {
        List<LockFindingShape.Edge> edges = new ArrayList<>();
        List<ThreadRef> threads = new ArrayList<>();
        for (Waiter t : cycle) {
            edges.add(new LockFindingShape.Edge(t.heldKey(), LockLabels.ofClassName(t.heldClass()),
                    t.wantedKey(), LockLabels.ofClassName(t.wantedClass()), t.threadName(), t.threadId(),
                    t.heldFrames(), t.wantedFrames()));
            threads.add(new ThreadRef(t.threadId(), t.threadName(), t.daemon(), true, t.state(), t.now()));
        }
        LockFindingShape shape = new LockFindingShape(FindingKinds.DEADLOCK, edges);
        List<String> names = new ArrayList<>();
        for (Waiter t : cycle) {
            names.add("'" + t.threadName() + "'");
        }
        String title = "Deadlock: threads " + LockFindingShape.joinAnd(names) + " wait for each other on "
                + shape.lockList() + " (" + shape.takenLocations() + ")";
        StringBuilder msg = new StringBuilder();
        List<LockFindingShape.Edge> rotated = shape.edges();
        for (int i = 0; i < rotated.size(); i++) {
            LockFindingShape.Edge e = rotated.get(i);
            LockFindingShape.Edge next = rotated.get((i + 1) % rotated.size());
            msg.append(i == 0 ? "" : " ").append("Thread '").append(e.threadName()).append("' holds ")
                    .append(shape.id(e.fromKey())).append(" (").append(shape.label(e.fromKey())).append(", taken at ")
                    .append(shape.sites().get(2 * i).location()).append(") and waits at ")
                    .append(shape.sites().get(2 * i + 1).location()).append(" for ")
                    .append(shape.id(e.toKey())).append(" (").append(shape.label(e.toKey())).append("), held by '")
                    .append(next.threadName()).append("'.");
        }
        msg.append(" None of them can ever proceed.");
        Map<String, Object> details = new LinkedHashMap<>(shape.details());
        details.put("detectedBy", detectedBy);
        String fix = HOW_TO_FIX;
        if (cycle.size() == 1) {
            // Only a read-to-write upgrade waits for a lock its own thread holds.
            Waiter t = cycle.get(0);
            title = "Deadlock: thread '" + t.threadName() + "' waits for the write lock of "
                    + shape.label(t.wantedKey()) + " while it holds its read lock (" + shape.takenLocations() + ")";
            msg = new StringBuilder("Thread '").append(t.threadName()).append("' took the read lock at ")
                    .append(shape.sites().get(0).location()).append(" and asks for the write lock at ")
                    .append(shape.sites().get(1).location())
                    .append(": the write lock waits until every read lock is released, its own included."
                            + " It can never proceed.");
            fix = UPGRADE_FIX;
        }
        return new Finding(FindingKinds.DEADLOCK, Severity.ERROR, shape.fingerprint(), title, msg.toString(),
                fix, threads, shape.sites(), details);
    }

    private static String key(LockInfo lock) {
        return lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }

    /** The key the JVM would give {@code lock} in a {@code LockInfo}. */
    static String key(Object lock) {
        return lock.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(lock));
    }

    /**
     * Where thread {@code t} waits for {@code wanted}. A monitor is recorded by the tracker just
     * before MONITORENTER, so its site gives the exact line; the JVM's own stack shows the line
     * after a blocked MONITORENTER (HotSpot reports the next bytecode's line).
     */
    private List<Frame> wantedFrames(ThreadInfo t, LockInfo wanted, List<Frame> now) {
        String site = tracker == null ? null : tracker.heldSite(t.getThreadId(), wanted.getIdentityHashCode());
        return site == null ? now : siteFrames.at(site, now);
    }

    /**
     * Where thread {@code t} took {@code held}: the tracker's site (exact line); else, for a monitor,
     * the frame the JVM says locked it; else the thread's whole stack.
     */
    private List<Frame> heldFrames(ThreadInfo t, LockInfo held, List<Frame> now) {
        String site = tracker == null ? null : tracker.heldSite(t.getThreadId(), held.getIdentityHashCode());
        if (site != null) {
            return siteFrames.at(site, now);
        }
        for (MonitorInfo m : t.getLockedMonitors()) {
            if (m.getIdentityHashCode() == held.getIdentityHashCode() && m.getLockedStackDepth() >= 0
                    && m.getLockedStackDepth() < now.size()) {
                return now.subList(m.getLockedStackDepth(), now.size());
            }
        }
        return now;
    }
}
