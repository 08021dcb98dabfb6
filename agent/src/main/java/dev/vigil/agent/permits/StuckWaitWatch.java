package dev.vigil.agent.permits;

import dev.vigil.agent.host.JdkMethod;
import dev.vigil.agent.host.SemaphoreFacts;
import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.stack.SiteFrames;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.stack.PoolWorkers;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.bootstrap.SyncListener;
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
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code stuck-wait}: a thread blocked on a semaphore, latch, barrier, phaser, condition or
 * {@code LockSupport.park} (at an application call site) for {@code stuckWait} or longer. Runs on
 * the scheduler's thread, which looks at the waits in progress every tenth of the threshold;
 * each stuck wait is reported once, and the report is written at once (an urgent report),
 * because a program that is stuck may be killed next.
 *
 * <p>Finding shape (shared with the queue and future detectors): {@code sites[0]} is the line the
 * thread waits at, further sites are where the possible releasers took their permits;
 * {@code threads} the waiting thread, then the releasers; {@code details}: {@code primitive},
 * {@code waitingOn}, {@code waitingMillis}, {@code releasers} ({@code thread, threadId, alive,
 * role}), {@code ended}. Severity {@code error} when every known releaser has ended.
 */
public final class StuckWaitWatch implements Detector {

    static final int MAX_REPORTED = 256;

    static final String HOW_TO_FIX = "Make sure whatever releases this wait happens on every path: release a permit, "
            + "count a latch down, signal a condition or notify a monitor in a finally block, and give a waiting thread a timeout "
            + "(tryAcquire(timeout), await(timeout)) so that it can give up and report instead of hanging for ever.";

    private final SyncTracker tracker;
    private final long thresholdMillis;
    private final StackFrames stacks;
    private final SiteFrames siteFrames;
    private final ThreadRefs threadRefs;
    private final List<Stuck> reported = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile ThreadStarts threadStarts = ThreadStarts.NONE;
    private volatile PoolWorkers poolWorkers = PoolWorkers.none();

    /** Most threads listed as a latch's likely workers. */
    static final int MAX_WORKERS = 16;

    static final String WORKER_RULE = "Threads started by the latch's creating thread after it was created are listed "
            + "as its likely workers: Vigil does not know which threads are meant to count a latch down, so a worker "
            + "started by another thread (or by a pool that existed before the latch) is missing, and an unrelated "
            + "thread may be listed.";

    /** A stuck wait as reported: the record plus the stack it was waiting in when it crossed the threshold. */
    private record Stuck(WaitRecord record, String threadName, long threadId, boolean daemon,
                         WeakReference<Thread> thread, List<Frame> stack) {
    }

    public StuckWaitWatch(SyncTracker tracker, long thresholdMillis, StackFrames stacks) {
        this.tracker = tracker;
        this.thresholdMillis = thresholdMillis;
        this.stacks = stacks;
        this.siteFrames = new SiteFrames(stacks);
        this.threadRefs = new ThreadRefs(stacks);
        this.waitDeadlocks = new WaitDeadlocks(this, tracker, stacks, threadRefs);
        tracker.onLongWaitEnded(thresholdMillis, this::endedUnseen);
    }

    /** On the thread whose wait just ended: it lasted the threshold but the watch never looked. */
    private synchronized void endedUnseen(WaitRecord w) {
        if (w.reported || isMonitor(w.primitive)) {
            return; // a monitor wait that ended was notified: judged only while it lasts
        }
        lateFresh |= record(w);
    }

    /**
     * Marks {@code w} reported and keeps it with the stack its thread waits in; false when the list
     * is full, or the wait is a {@linkplain PoolWorkers#waitsForAStop lifecycle wait} or a pool's worker
     * waiting for its next task ({@link PoolWorkers}) and something alive may still release it.
     */
    private boolean record(WaitRecord w) {
        w.reported = true;
        if (reported.size() >= MAX_REPORTED) {
            dropped.incrementAndGet();
            return false;
        }
        Thread t = w.thread;
        List<Frame> stack = stacks.frames(ThreadFacts.stack(t), 0);
        if ((PoolWorkers.waitsForAStop(stack) || poolWorkers.waitingForWork(stack)) && !everyReleaserEnded(w)) {
            return false;
        }
        reported.add(new Stuck(w, ThreadFacts.name(t), ThreadFacts.id(t), t.isDaemon(), new WeakReference<>(t), stack));
        return true;
    }

    private boolean everyReleaserEnded(WaitRecord w) {
        List<Releaser> releasers = releasers(w, w.on.get());
        for (Releaser r : releasers) {
            if (r.alive()) {
                return false;
            }
        }
        return !releasers.isEmpty();
    }

    /**
     * A monitor wait is judged by its notifiers and by evidence of a hang, never by its length
     * alone: a thread may wait on a monitor for ever by design (a {@code main} that keeps the JVM
     * alive, an idle worker), and a monitor is a reusable signal whose next notifier may be a thread
     * not yet started (a request's). It cannot be notified when threads were seen notifying it and
     * <ul>
     *   <li>every one of them is alive and waits on the same monitor (all parties wait: nobody is
     *       left to notify), or</li>
     *   <li>every one has ended or waits itself (on it, or in a wait past the threshold), and the
     *       program shows that it hangs on this wait: another thread joins the waiting thread, or
     *       the waiting thread is non-daemon and keeps the JVM from exiting after {@code main}
     *       returned.</li>
     * </ul>
     * No notifier known: not judged (notifies before a monitor's first wait are not seen).
     */
    private boolean cannotBeNotified(WaitRecord w, Phase phase) {
        Object on = w.on.get();
        List<Releaser> releasers = releasers(w, on);
        if (releasers.isEmpty()) {
            return false;
        }
        boolean allWaitHere = true;
        for (Releaser r : releasers) {
            if (r.alive() && !r.waitingToo()) {
                return false;
            }
            allWaitHere &= r.alive() && waitsOn(r.thread(), on);
        }
        if (allWaitHere) {
            return true;
        }
        Thread waiter = w.thread;
        return phase == Phase.EXIT_BLOCKED && !waiter.isDaemon() || joinedByAnother(w);
    }

    private boolean waitsOn(Thread t, Object on) {
        for (WaitRecord other : tracker.waits) {
            if (other.thread == t && other.endMillis == 0 && other.on.get() == on) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a live thread waits for {@code w}'s thread to end ({@code join}: a wait on the
     * thread's own monitor, which the JVM notifies when it terminates). Asks the JVM at most once
     * per threshold per wait: this is the slow path of a wait already past the threshold.
     */
    private boolean joinedByAnother(WaitRecord w) {
        long now = System.nanoTime();
        if (w.joinCheckedNanos != 0 && now - w.joinCheckedNanos < thresholdMillis * 1_000_000L) {
            return false;
        }
        w.joinCheckedNanos = now;
        Thread waiter = w.thread;
        int hash = System.identityHashCode(waiter);
        String className = waiter.getClass().getName();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
            LockInfo lock = info == null ? null : info.getLockInfo();
            if (lock != null && lock.getIdentityHashCode() == hash && lock.getClassName().equals(className)
                    && info.getThreadId() != ThreadFacts.id(waiter)
                    && (info.getThreadState() == Thread.State.WAITING || info.getThreadState() == Thread.State.TIMED_WAITING)) {
                return true;
            }
        }
        return false;
    }

    /** The wait {@code t} is in now, if it is the same monitor as {@code on} or a wait past the threshold; else null. */
    private WaitRecord waitingToo(Thread t, Object on) {
        if (t == null) {
            return null;
        }
        long now = System.nanoTime();
        for (WaitRecord other : tracker.waits) {
            if (other.thread == t && other.endMillis == 0
                    && (other.on.get() == on || now - other.startNanos >= thresholdMillis * 1_000_000L)) {
                return other;
            }
        }
        return null;
    }

    private volatile boolean lateFresh;
    private final WaitDeadlocks waitDeadlocks;

    /** Tells a pool's idle worker from a stuck thread: a worker waiting for its next task is no stuck wait. */
    public void poolWorkers(PoolWorkers workers) {
        this.poolWorkers = workers;
    }

    /** Where a latch's likely workers come from (the thread ledger). */
    public void threadStarts(ThreadStarts starts) {
        this.threadStarts = starts;
    }

    /** How often the watch looks: a tenth of the threshold, between 10 ms and 1 s. */
    public long tickMillis() {
        long base = thresholdMillis <= 0 ? 1000 : thresholdMillis / 10;
        return Math.max(10, Math.min(1000, base));
    }

    /**
     * One look, every {@link #tickMillis} on the scheduler's thread: the trigger of an urgent
     * report when a wait crossed the threshold since the last look, else null.
     */
    public String tick() {
        String trigger = check() ? FindingKinds.STUCK_WAIT : null;
        if (waitDeadlocks.check()) {
            trigger = FindingKinds.DEADLOCK;
        }
        tracker.sweep();
        return trigger;
    }

    /** Where the locks a waiting thread holds come from (the lock tracker), for deadlocks through a wait. */
    public void locksHeld(WaitDeadlocks.LocksHeld held) {
        waitDeadlocks.locksHeld(held);
    }

    /** Reports the waits that have crossed the threshold since the last look; true when there are new ones. */
    public synchronized boolean check() {
        if (thresholdMillis <= 0) {
            return false;
        }
        long now = System.nanoTime();
        long threshold = thresholdMillis * 1_000_000L;
        boolean fresh = lateFresh;
        lateFresh = false;
        for (WaitRecord w : tracker.waits) {
            if (w.reported || now - w.startNanos < threshold) {
                continue;
            }
            if (w.primitive == SyncListener.MONITOR_TIMED
                    || w.primitive == SyncListener.MONITOR && !cannotBeNotified(w, Phase.RUNNING)) {
                continue; // looked at again next time: a notifier may end or get stuck
            }
            fresh |= record(w);
        }
        return fresh;
    }

    @Override
    public List<Finding> findings(Phase phase) {
        check();
        if (phase != Phase.RUNNING) {
            hopelessAtExit(phase);
        }
        List<Finding> out = new ArrayList<>(waitDeadlocks.found());
        for (Stuck s : reported) {
            out.add(finding(s));
        }
        return out;
    }

    @Override
    public void resetScope() {
        reported.clear();
        waitDeadlocks.resetScope();
    }

    public Map<String, Long> truncated() {
        return Map.of("stuckWaitsDropped", dropped.get());
    }

    /**
     * At exit (or when the JVM cannot exit), a wait shorter than the threshold is reported too once
     * every thread that could release it has ended: nothing ever will, however short the wait so far.
     * Latches, barriers and monitors only (a monitor's releasers are the threads seen notifying it,
     * and they must also be unable to: ended, or waiting themselves). A semaphore's releasers are the threads holding its permits, but any
     * thread may release one (a semaphore used as a signal), and a phaser's parties registered in
     * bulk may have no thread Vigil knows.
     */
    private synchronized void hopelessAtExit(Phase phase) {
        for (WaitRecord w : tracker.waits) {
            boolean latchOrBarrier = w.primitive == SyncListener.LATCH || w.primitive == SyncListener.BARRIER;
            if (!w.reported && w.endMillis == 0 && w.on.get() != null && w.thread.isAlive()
                    && (latchOrBarrier && everyReleaserEnded(w) || w.primitive == SyncListener.MONITOR && cannotBeNotified(w, phase))) {
                record(w);
            }
        }
    }

    static boolean isMonitor(int primitive) {
        return primitive == SyncListener.MONITOR || primitive == SyncListener.MONITOR_TIMED;
    }

    static String primitiveName(int primitive) {
        return switch (primitive) {
            case SyncListener.SEMAPHORE -> "semaphore";
            case SyncListener.LATCH -> "latch";
            case SyncListener.BARRIER -> "barrier";
            case SyncListener.PHASER -> "phaser";
            case SyncListener.CONDITION -> "condition";
            case SyncListener.MONITOR, SyncListener.MONITOR_TIMED -> "monitor";
            default -> "park";
        };
    }

    /** {@code waitingToo}: alive, but waiting itself (on the same monitor, or stuck elsewhere): it cannot release this one. */
    record Releaser(long threadId, String name, boolean alive, String role, String site, Thread thread,
                            boolean waitingToo) {
        Releaser(long threadId, String name, boolean alive, String role, String site, Thread thread) {
            this(threadId, name, alive, role, site, thread, false);
        }
    }

    private Finding finding(Stuck s) {
        WaitRecord w = s.record();
        Object on = w.on.get();
        long end = w.endMillis;
        boolean ended = end != 0;
        long waitingMillis = (ended ? end : tracker.now()) - w.startMillis;
        String primitive = primitiveName(w.primitive);
        List<Releaser> releasers = releasers(w, on);
        String waitingOn = describe(w, on);

        List<Site> sites = new ArrayList<>();
        sites.add(StackFrames.site("waiting at", siteFrames.at(w.site, s.stack())));
        Set<String> releaserSites = new LinkedHashSet<>();
        for (Releaser r : releasers) {
            if (r.site() != null && releaserSites.add(r.site())) {
                sites.add(StackFrames.site(r.role() + " '" + r.name() + "'" + (r.alive() ? "" : " (ended)"),
                        siteFrames.at(r.site(), List.of())));
            }
        }
        PermitLedger createdLedger = on instanceof Semaphore ? tracker.ledgerOf(on) : null;
        LatchRecord latch = on instanceof CountDownLatch ? tracker.latchOf(on) : null;
        String createdSite = createdLedger != null ? createdLedger.createdSite : latch != null ? latch.createdSite : null;
        if (createdSite != null) {
            sites.add(StackFrames.site(primitive + " created", siteFrames.at(createdSite, List.of())));
        }
        // Phaser parties registered in bulk (new Phaser(n), bulkRegister) that no known thread accounts for.
        int partiesWithoutThread = 0;
        if (on instanceof Phaser p && !ended && JdkMethod.isJdkClass(p.getClass())) {
            int notArrivedListed = 0;
            for (Releaser r : releasers) {
                notArrivedListed += r.role().startsWith("party") || r.role().startsWith("registered") ? 1 : 0;
            }
            partiesWithoutThread = Math.max(0, p.getUnarrivedParties() - notArrivedListed);
        }
        List<ThreadRef> threads = new ArrayList<>();
        Thread waiter = s.thread().get();
        threads.add(ended || waiter == null ? new ThreadRef(s.threadId(), s.threadName(), s.daemon(),
                waiter != null && waiter.isAlive(), waiter == null ? Thread.State.TERMINATED.name()
                : ThreadFacts.state(waiter).name(), s.stack()) : threadRefs.of(waiter, s.threadId(), s.threadName(), s.daemon()));
        Set<Long> seen = new LinkedHashSet<>();
        seen.add(s.threadId());
        List<Map<String, Object>> releaserDetails = new ArrayList<>();
        for (Releaser r : releasers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("thread", r.name());
            m.put("threadId", r.threadId());
            m.put("alive", r.alive());
            m.put("role", r.role());
            if (r.waitingToo()) {
                m.put("waitingToo", true);
            }
            releaserDetails.add(m);
            if (seen.add(r.threadId())) {
                threads.add(threadRefs.of(r.thread(), r.threadId(), r.name(), r.thread() != null && r.thread().isDaemon()));
            }
        }
        boolean allEnded = !releasers.isEmpty() && partiesWithoutThread == 0;
        boolean someWaitingToo = false;
        for (Releaser r : releasers) {
            allEnded &= !r.alive() || r.waitingToo();
            someWaitingToo |= r.alive() && r.waitingToo();
        }
        Severity severity = allEnded && !ended ? Severity.ERROR : Severity.WARNING;

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("primitive", primitive);
        details.put("waitingOn", waitingOn);
        details.put("waitingMillis", waitingMillis);
        details.put("releasers", releaserDetails);
        details.put("ended", ended);
        details.put("thresholdMillis", thresholdMillis);
        if (createdSite != null) {
            details.put("createdAt", sites.get(sites.size() - 1).location());
        }
        if (partiesWithoutThread > 0) {
            details.put("partiesWithoutThread", partiesWithoutThread);
        }
        List<String> alsoWaiting = isMonitor(w.primitive) && on != null ? alsoWaiting(w, on) : List.of();
        if (!alsoWaiting.isEmpty()) {
            details.put("alsoWaiting", alsoWaiting);
        }

        String at = sites.get(0).location();
        String title = "Thread '" + s.threadName() + "' " + (ended ? "was stuck " : "stuck ") + seconds(waitingMillis)
                + " on " + waitingOn + " at " + at;
        StringBuilder msg = new StringBuilder();
        msg.append("Thread '").append(s.threadName()).append("' ").append(ended ? "waited " : "has been waiting ")
                .append(seconds(waitingMillis))
                .append(waitingMillis < thresholdMillis ? " (less than the threshold, " : " (threshold ")
                .append(seconds(thresholdMillis)).append(") on ")
                .append(primitive).append(' ').append(waitingOn).append(" at ").append(at).append('.');
        if (releasers.isEmpty()) {
            msg.append(" Vigil knows no thread that could release it.");
        } else {
            msg.append(" Possible releasers: ");
            for (int i = 0; i < releasers.size(); i++) {
                Releaser r = releasers.get(i);
                msg.append(i == 0 ? "" : ", ").append('\'').append(r.name()).append("' (").append(r.role())
                        .append(r.alive() ? (r.waitingToo() ? ", alive, waiting itself" : ", alive") : ", ended").append(')');
            }
            msg.append(!allEnded ? "." : someWaitingToo
                    ? "; none of them can: each has ended or is waiting itself, so nothing will ever release it."
                    : "; all of them have ended, so nothing will ever release it.");
        }
        if (partiesWithoutThread > 0) {
            msg.append(' ').append(partiesWithoutThread).append(partiesWithoutThread == 1 ? " party has" : " parties have")
                    .append(" not arrived that Vigil knows no thread for (registered by new Phaser(n) or bulkRegister"
                            + " and never arrived at an instrumented call).");
        }
        boolean workersListed = false;
        for (Releaser r : releasers) {
            workersListed |= r.role().startsWith("started by");
        }
        if (!alsoWaiting.isEmpty()) {
            msg.append(" Also waiting on it: '").append(String.join("', '", alsoWaiting)).append("'.");
        }
        if (workersListed) {
            msg.append(' ').append(WORKER_RULE);
        }
        if (createdSite != null) {
            msg.append(" It was created at ").append(sites.get(sites.size() - 1).location()).append('.');
        }
        if (ended) {
            msg.append(" The wait has since ended.");
        }
        String fingerprint = Fingerprints.of(FindingKinds.STUCK_WAIT, primitive, w.site);
        return new Finding(FindingKinds.STUCK_WAIT, severity, fingerprint, title, msg.toString(), HOW_TO_FIX,
                threads, sites, details);
    }

    List<Releaser> releasers(WaitRecord w, Object on) {
        List<Releaser> out = new ArrayList<>();
        if (on == null) {
            return out;
        }
        switch (w.primitive) {
            case SyncListener.SEMAPHORE -> {
                PermitLedger l = tracker.ledgerOf(on);
                if (l != null) {
                    for (Holder h : l.outstanding()) {
                        Thread t = h.thread.get();
                        out.add(new Releaser(h.threadId, h.threadName, !h.ended(), "permit holder", h.site, t));
                    }
                }
            }
            case SyncListener.LATCH -> {
                LatchRecord r = tracker.latchOf(on);
                if (r != null) {
                    Set<Long> listed = new java.util.HashSet<>();
                    listed.add(ThreadFacts.id(w.thread));
                    for (LatchRecord.Counter c : r.counters()) {
                        listed.add(c.threadId());
                        out.add(new Releaser(c.threadId(), c.threadName(), !c.ended(), "counted down before",
                                c.site(), c.thread().get()));
                    }
                    if (r.creatorId >= 0) {
                        for (ThreadStarts.Started s : threadStarts.startedBy(r.creatorId, r.createdOrder, MAX_WORKERS)) {
                            if (listed.add(s.threadId())) {
                                out.add(new Releaser(s.threadId(), s.name(), s.alive(),
                                        "started by '" + r.creatorName + "' after the latch was created", null, s.thread()));
                            }
                        }
                    }
                }
            }
            case SyncListener.PHASER -> {
                PhaserRecord r = tracker.phaserOf(on);
                if (r != null && on instanceof Phaser p) {
                    int phase = p.getPhase();
                    for (PhaserRecord.PartyThread t : r.notArrived(phase)) {
                        if (t.threadId != ThreadFacts.id(w.thread)) {
                            out.add(new Releaser(t.threadId, t.threadName, !t.ended(), t.lastArrived < 0
                                    ? "registered, not arrived in phase " + phase
                                    : "party, arrived in phase " + t.lastArrived + ", not in phase " + phase,
                                    t.site, t.thread.get()));
                        }
                    }
                }
            }
            case SyncListener.BARRIER -> {
                for (WaitRecord other : tracker.waits) {
                    if (other != w && other.on.get() == on) {
                        Thread t = other.thread;
                        out.add(new Releaser(ThreadFacts.id(t), ThreadFacts.name(t), t.isAlive(), "arrived and waiting", other.site, t));
                    }
                }
            }
            case SyncListener.MONITOR, SyncListener.MONITOR_TIMED -> {
                for (MonitorNotifiers.Notifier n : tracker.monitorNotifiers.of(on)) {
                    Thread t = n.thread().get();
                    if (t == w.thread) {
                        continue;
                    }
                    boolean alive = t != null && t.isAlive();
                    boolean waiting = alive && waitingToo(t, on) != null;
                    out.add(new Releaser(n.threadId(), n.threadName(), alive, "notifier", n.site(), t, waiting));
                }
            }
            default -> {
                // conditions and park: who signals or unparks is not known
            }
        }
        return out;
    }

    /**
     * What {@code t} waits on now, if it is in a wait this tracker follows: {@code "latch
     * CountDownLatch@1b2c3d4e (count 1)"}; else null. For the thread-leak messages.
     */
    public String waitingOn(Thread t) {
        for (WaitRecord w : tracker.waits) {
            Object on = w.on.get();
            if (w.thread == t && w.endMillis == 0 && on != null) {
                return primitiveName(w.primitive) + " " + describe(w, on);
            }
        }
        return null;
    }

    /** The other threads in a wait on {@code on} now, by name, sorted. */
    private List<String> alsoWaiting(WaitRecord w, Object on) {
        List<String> names = new ArrayList<>();
        for (WaitRecord other : tracker.waits) {
            if (other != w && other.endMillis == 0 && other.on.get() == on && other.thread != w.thread) {
                names.add(ThreadFacts.name(other.thread));
            }
        }
        names.sort(null);
        return names;
    }

    String describe(WaitRecord w, Object on) {
        String label = w.onClass == null ? "LockSupport.park (no blocker)"
                : w.onClass.substring(w.onClass.lastIndexOf('.') + 1) + "@" + Integer.toHexString(w.onHash);
        if (on instanceof Semaphore sem) {
            PermitLedger l = tracker.ledgerOf(sem);
            return label + " (" + SemaphoreFacts.available(sem) + (l != null && l.limit > 0 ? " of " + l.limit : "")
                    + " permits free)";
        }
        if (on != null && !JdkMethod.isJdkClass(on.getClass())) {
            // An application subclass: its getters are application code, never run by the agent (issue 15).
            return label;
        }
        if (on instanceof CountDownLatch latch) {
            return label + " (count " + latch.getCount() + ")";
        }
        if (on instanceof CyclicBarrier b) {
            // Never through its getters: they take the barrier's lock, held while its action runs.
            int waiting = dev.vigil.bootstrap.JdkFields.barrierWaiting(b);
            Boolean broken = dev.vigil.bootstrap.JdkFields.barrierBroken(b);
            return label + " (" + (waiting < 0 ? "" : waiting + " of ") + b.getParties() + " parties"
                    + (waiting < 0 ? "" : " waiting") + (Boolean.TRUE.equals(broken) ? ", broken" : "") + ")";
        }
        if (on instanceof Phaser p) {
            return label + " (phase " + p.getPhase() + ", " + p.getArrivedParties() + " of "
                    + p.getRegisteredParties() + " parties arrived)";
        }
        return label;
    }

    static String seconds(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        return (millis / 100) / 10.0 + " s";
    }
}
