package dev.vigil.agent.locks;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.bootstrap.LockListener;
import dev.vigil.bootstrap.ThreadSlot;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.agent.util.WeakIdentityMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Receives lock events from the hooks and feeds the {@link LockOrderGraph}. Each thread's held
 * locks live in its hook slot; they are also registered (weakly, by thread) so that the deadlock
 * watch can tell where a deadlocked thread took the locks it holds.
 */
public final class LockTracker implements LockListener {

    private final LockOrderGraph graph;
    private final LockIdentity identity;
    /** By thread identity: a {@code WeakHashMap} would call an application thread's own {@code hashCode} (issue 15). */
    private final WeakIdentityMap<HeldLocks> byThread = new WeakIdentityMap<>();
    private volatile DeadlockWatch deadlocks;
    private volatile LockLabels creations;

    /** Longest wait chain a hook follows looking for a deadlock. */
    static final int MAX_WAIT_CHAIN = 16;

    public LockTracker(LockOrderGraph graph, LockIdentity identity) {
        this.graph = graph;
        this.identity = identity;
    }

    public LockOrderGraph graph() {
        return graph;
    }

    /** Starts a new scope: the graph forgets its edges and cycles, every thread its known edges. */
    public void resetScope() {
        graph.resetScope();
        for (Map.Entry<Object, HeldLocks> e : byThread.entries()) {
            e.getValue().forgetEdges();
        }
    }

    private volatile boolean programStartedThreads;

    /**
     * The program started its first thread of its own: the edges its set-up took so far are set-up
     * edges, and each thread's known edges are forgotten once, so that the same edges taken again are
     * seen (and no longer count as set-up).
     */
    public void programStartedThreads() {
        if (programStartedThreads) {
            return;
        }
        programStartedThreads = true;
        graph.programStartedThreads();
        for (Map.Entry<Object, HeldLocks> e : byThread.entries()) {
            e.getValue().forgetEdges();
        }
    }

    /** Where the allocation sites of application-created j.u.c locks go (their lock classes). */
    public void recordCreationsIn(LockLabels labels) {
        this.creations = labels;
    }

    @Override
    public void created(ThreadSlot slot, Object lock, String site) {
        LockLabels l = creations;
        if (l != null) {
            try {
                l.created(identity.ofCreated(lock), site);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** Where a deadlock found by the hooks is reported (the same finding, once, as the watch's). */
    public void reportDeadlocksTo(DeadlockWatch watch) {
        this.deadlocks = watch;
    }

    private HeldLocks state(ThreadSlot slot) {
        Object s = slot.locks;
        return s != null ? (HeldLocks) s : newState(slot);
    }

    private HeldLocks newState(ThreadSlot slot) {
        boolean entered = VigilHooks.enter(); // see acquired: the hot hooks do not enter the guard
        try {
            Thread t = Thread.currentThread();
            HeldLocks h = graph.newThreadState(t);
            byThread.expunge(); // ended threads' states
            byThread.put(t, h);
            slot.locks = h;
            return h;
        } finally {
            if (entered) {
                VigilHooks.leave();
            }
        }
    }

    // acquired and released (and the monitor forms) are the hot path: small enough to be inlined
    // into the hook, and so into the instrumented method (see VigilHooks). The hooks call them
    // outside the re-entry guard: the fast path touches only this thread's arrays, and every slow
    // path (a new thread state, new edges, a deadlock check) enters the guard itself. Throwable from a method handle is left to
    // the hook's catch, which counts it.

    @Override
    public void acquired(ThreadSlot slot, Object lock, String site, int flags) {
        graph.acquired(state(slot), node(lock), LockIdentity.mode(lock), site, (flags & TRY) != 0);
    }

    @Override
    public void released(ThreadSlot slot, Object lock) {
        graph.released(state(slot), node(lock));
    }

    @Override
    public void monitorAcquired(ThreadSlot slot, Object monitor, String site, int flags) {
        HeldLocks h = state(slot);
        if (graph.acquired(h, monitor, LockOrderGraph.EXCLUSIVE, site, false, flags & EARLY)
                && (flags & EARLY) != 0) {
            monitorMayBlock(h, monitor, site);
        }
    }

    /**
     * The calling thread is about to enter {@code monitor} and one of the edges it just took is
     * part of a lock-order cycle (only then: a monitor cannot be tried first, so its contended
     * path is not visible): it follows the holders as {@link #blocking} does, through the
     * threads' held-lock stacks, and reports the deadlock before entering MONITORENTER.
     */
    private void monitorMayBlock(HeldLocks me, Object monitor, String site) {
        DeadlockWatch watch = deadlocks;
        if (watch == null || me.size < 2) {
            return;
        }
        boolean entered = VigilHooks.enter(); // called outside the guard (see acquired)
        try {
            List<DeadlockWatch.Blocked> cycle = confirmedCycleThrough(me, monitor, site, me.size - 1); // top: the monitor wanted
            if (cycle != null) {
                watch.reportFromHook(cycle);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            if (entered) {
                VigilHooks.leave();
            }
        }
    }

    @Override
    public void monitorReleasing(ThreadSlot slot, Object monitor) {
        graph.released(state(slot), monitor);
    }

    private Object node(Object lock) {
        try {
            return identity.of(lock);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Contended path only ({@code LockCalls} tried the lock first and failed): the thread is about
     * to block on {@code lock}. It says so (other threads read it) and follows the owners: the
     * lock's owner, the lock that owner waits for, its owner, and so on; if the chain comes back
     * to this thread, blocking now closes a deadlock, which is reported at once. Every thread on
     * the chain published what it waits for before looking, so of two threads closing a cycle at
     * the same moment at least one sees the other's (volatile writes, then reads).
     */
    @Override
    public void blocking(ThreadSlot slot, Object lock, String site) {
        HeldLocks me = state(slot);
        Object node = node(lock);
        me.wantedSite = site;
        me.wanted = node;
        DeadlockWatch watch = deadlocks;
        if (me.size == 0 || watch == null) {
            return; // holding nothing, it cannot close a cycle
        }
        boolean upgrade = me.indexOf(node) >= 0; // a read lock held, the write lock wanted
        if (!upgrade) {
            // The lock is pushed early, as a monitor before MONITORENTER, and its edges recorded
            // now: a thread that closes a cycle with this one later (a monitor taken in the other
            // order) sees the cycle and this thread waiting in it. unblocked() pops it again.
            boolean inCycle = graph.acquired(me, node, LockIdentity.mode(lock), site, false, HeldLocks.EARLY);
            if (!inCycle && !graph.instanceCycleSeen()) {
                // No two live locks were ever taken in opposite orders, so no wait can close a
                // cycle: no walk. With thousands of (virtual) threads contending for one lock, the
                // walk (a monitor's holder is found by a look at every thread's stack) made each
                // contended lock() cost O(threads).
                return;
            }
        }
        List<DeadlockWatch.Blocked> cycle;
        try {
            cycle = confirmedCycleThrough(me, node, site, upgrade ? me.size : me.size - 1);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (cycle != null) {
            watch.reportFromHook(cycle);
        }
    }

    @Override
    public boolean looksTaken(ThreadSlot slot, Object lock) {
        try {
            return identity.looksTaken(lock);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int holds(ThreadSlot slot, Object lock) {
        try {
            return identity.holds(lock);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void unblocked(ThreadSlot slot, Object lock) {
        HeldLocks me = state(slot);
        Object wanted = me.wanted;
        me.wanted = null;
        me.wantedSite = null;
        int top = me.size - 1;
        if (wanted != null && top >= 0 && me.locks[top] == wanted && me.early(top)) {
            me.remove(top); // lockAcquired pushes it for real once lock() returned
        }
    }

    /**
     * {@link #cycleThrough}, walked twice: the other threads' stacks are read without locking, so
     * a chain is believed only when a second walk finds the same threads and locks (a real
     * deadlock cannot change; a thread racing past would).
     */
    private List<DeadlockWatch.Blocked> confirmedCycleThrough(HeldLocks me, Object wanted, String site,
                                                              int meHolds) throws Throwable {
        List<DeadlockWatch.Blocked> first = cycleThrough(me, wanted, site, meHolds);
        if (first == null) {
            return null;
        }
        List<DeadlockWatch.Blocked> second = cycleThrough(me, wanted, site, meHolds);
        return sameChain(first, second) ? first : null;
    }

    /** By identity: lock objects may be application objects with their own {@code equals}. */
    private static boolean sameChain(List<DeadlockWatch.Blocked> a, List<DeadlockWatch.Blocked> b) {
        if (b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            DeadlockWatch.Blocked x = a.get(i);
            DeadlockWatch.Blocked y = b.get(i);
            if (x.thread() != y.thread() || x.heldNode() != y.heldNode() || x.wantedNode() != y.wantedNode()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The wait cycle {@code me} closes by waiting for {@code wanted}, first thread {@code me}; or
     * null. Each step finds the thread that surely holds the lock waited for (the synchronizer's
     * owner, or a thread whose held stack has the monitor below its top, or at its top when it
     * was not pushed early), then what that thread waits for: the lock its contended
     * {@code lock()} published, or the monitor it pushed just before MONITORENTER. The chain is
     * a deadlock when it comes back to {@code me}, who surely holds its first {@code meHolds}
     * entries (the calling thread knows).
     */
    private List<DeadlockWatch.Blocked> cycleThrough(HeldLocks me, Object wanted, String wantedSite, int meHolds)
            throws Throwable {
        List<HeldLocks> chain = new ArrayList<>();
        List<Object> wants = new ArrayList<>();
        List<String> wantSites = new ArrayList<>();
        chain.add(me);
        wants.add(wanted);
        wantSites.add(wantedSite);
        Object want = wanted;
        for (int step = 0; step < MAX_WAIT_CHAIN; step++) {
            HeldLocks next = holder(want, me, meHolds);
            if (next == null) {
                return null; // free now, a read lock, or a monitor no tracked thread surely holds
            }
            if (next == me) {
                return blockedList(chain, wants, wantSites);
            }
            if (chain.contains(next)) {
                return null;
            }
            String nextSite = next.wantedSite;
            Object nextWant = next.wanted;
            if (nextWant == null) {
                Object[] early = next.earlyTop();
                if (early != null) {
                    nextWant = early[0];
                    nextSite = (String) early[1];
                }
            }
            if (nextWant == null) {
                return null; // the holder is not blocked on a tracked lock: it can go on
            }
            chain.add(next);
            wants.add(nextWant);
            wantSites.add(nextSite);
            want = nextWant;
        }
        return null;
    }

    /** The tracked thread that surely holds {@code node} now, or null. */
    private HeldLocks holder(Object node, HeldLocks me, int meHolds) throws Throwable {
        int mine = me.indexOf(node);
        if (mine >= 0 && mine < meHolds) {
            return me;
        }
        Thread owner = identity.exclusiveOwner(node);
        if (owner != null) {
            return byThread.get(owner);
        }
        if (identity.ownerIsWholeTruth(node)) {
            return null; // released since: no look at every thread's stack for it
        }
        // A monitor, or a read/write lock held in read mode (readers have no owner): a tracked
        // thread whose stack shows it surely holds it; of several readers, one that waits itself.
        HeldLocks any = null;
        for (Map.Entry<Object, HeldLocks> e : byThread.entries()) {
            HeldLocks h = e.getValue();
            if (h != me && h.surelyHolds(node)) {
                if (h.wanted != null || h.earlyTop() != null) {
                    return h;
                }
                any = any == null ? h : any;
            }
        }
        return any;
    }

    private static List<DeadlockWatch.Blocked> blockedList(List<HeldLocks> chain, List<Object> wants,
                                                           List<String> wantSites) {
        int n = chain.size();
        List<DeadlockWatch.Blocked> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HeldLocks h = chain.get(i);
            Object held = wants.get((i + n - 1) % n); // what the previous thread waits for, this one owns
            Thread t = h.thread();
            if (t == null) {
                return null; // its thread is gone: not a deadlock
            }
            out.add(new DeadlockWatch.Blocked(t, held, siteOf(h, held), wants.get(i), wantSites.get(i)));
        }
        return out;
    }

    /** Where {@code h}'s thread took {@code lock}; read from another (blocked) thread, so defensively. */
    private static String siteOf(HeldLocks h, Object lock) {
        Object[] locks = h.locks;
        String[] sites = h.sites;
        for (int i = Math.min(h.size, Math.min(locks.length, sites.length)) - 1; i >= 0; i--) {
            if (locks[i] == lock) {
                return sites[i];
            }
        }
        return null;
    }

    @Override
    public void waitStarted(ThreadSlot slot, Object monitorOrCondition) {
        Object node = waitNode(monitorOrCondition);
        if (node != null) {
            graph.waitStarted(state(slot), node);
        }
    }

    @Override
    public void waitEnded(ThreadSlot slot, Object monitorOrCondition, String site) {
        Object node = waitNode(monitorOrCondition);
        if (node != null) {
            graph.waitEnded(state(slot), node, site);
        }
    }

    private Object waitNode(Object monitorOrCondition) {
        try {
            return identity.ofWait(monitorOrCondition);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The site constant where {@code thread} took the lock whose identity hash is {@code lockHash},
     * or null. Reads another thread's state without locking: used only for deadlocked threads,
     * which cannot change it.
     */
    public String heldSite(long threadId, int lockHash) {
        for (Map.Entry<Object, HeldLocks> e : byThread.entries()) {
            if (ThreadFacts.id((Thread) e.getKey()) != threadId) {
                continue;
            }
            HeldLocks h = e.getValue();
            Object[] locks = h.locks;
            String[] sites = h.sites;
            for (int i = Math.min(h.size, locks.length) - 1; i >= 0; i--) {
                Object l = locks[i];
                if (l != null && System.identityHashCode(l) == lockHash) {
                    return sites[i];
                }
            }
        }
        return null;
    }

    /**
     * As {@link #exclusiveHeld}, read from another thread (the stuck-wait watch): a racy snapshot of
     * the owner's arrays, which it may be changing; may miss or keep a lock for a moment, and is
     * empty rather than wrong when the arrays were being grown. The caller confirms with the JVM.
     */
    public List<Object[]> exclusiveHeldSeenByAnother(Thread thread) {
        HeldLocks h = byThread.get(thread);
        if (h == null || h.size == 0) {
            return List.of();
        }
        try {
            Object[] locks = h.locks;
            String[] sites = h.sites;
            int n = Math.min(h.size, Math.min(locks.length, sites.length));
            List<Object[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Object l = locks[i];
                if (l != null && h.mode(i) != LockOrderGraph.READ) {
                    out.add(new Object[] {l, sites[i]});
                }
            }
            return out;
        } catch (ArrayIndexOutOfBoundsException racing) {
            return List.of();
        }
    }

    /**
     * The locks {@code thread} holds exclusively now (a {@code ReentrantLock}, a write lock, a
     * monitor), innermost last, each as {@code [lock node, site]}. Read-only; meant for the thread
     * itself, e.g. as it ends (issue 5: lock-held-by-dead-thread).
     */
    public List<Object[]> exclusiveHeld(Thread thread) {
        HeldLocks h = byThread.get(thread);
        if (h == null) {
            return List.of();
        }
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < h.size; i++) {
            if (h.mode(i) != LockOrderGraph.READ && h.locks[i] != null) {
                out.add(new Object[] {h.locks[i], h.sites[i]});
            }
        }
        return out;
    }
}
