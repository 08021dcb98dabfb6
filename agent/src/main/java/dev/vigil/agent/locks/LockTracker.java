package dev.vigil.agent.locks;

import dev.vigil.bootstrap.LockListener;
import dev.vigil.bootstrap.ThreadSlot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Receives lock events from the hooks and feeds the {@link LockOrderGraph}. Each thread's held
 * locks live in its hook slot; they are also registered (weakly, by thread) so that the deadlock
 * watch can tell where a deadlocked thread took the locks it holds.
 */
public final class LockTracker implements LockListener {

    private final LockOrderGraph graph;
    private final LockIdentity identity;
    private final Map<Thread, HeldLocks> byThread = Collections.synchronizedMap(new WeakHashMap<>());

    public LockTracker(LockOrderGraph graph, LockIdentity identity) {
        this.graph = graph;
        this.identity = identity;
    }

    public LockOrderGraph graph() {
        return graph;
    }

    private HeldLocks state(ThreadSlot slot) {
        Object s = slot.locks;
        if (s == null) {
            Thread t = Thread.currentThread();
            HeldLocks h = graph.newThreadState(t);
            byThread.put(t, h);
            slot.locks = h;
            return h;
        }
        return (HeldLocks) s;
    }

    @Override
    public void acquired(ThreadSlot slot, Object lock, String site, int flags) {
        Object node;
        try {
            node = identity.of(lock);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        graph.acquired(state(slot), node, LockIdentity.mode(lock), site, (flags & TRY) != 0);
    }

    @Override
    public void released(ThreadSlot slot, Object lock) {
        Object node;
        try {
            node = identity.of(lock);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        graph.released(state(slot), node);
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
        List<Map.Entry<Thread, HeldLocks>> entries;
        synchronized (byThread) {
            entries = new ArrayList<>(byThread.entrySet());
        }
        for (Map.Entry<Thread, HeldLocks> e : entries) {
            if (e.getKey().getId() != threadId) {
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
            if (h.modes[i] != LockOrderGraph.READ && h.locks[i] != null) {
                out.add(new Object[] {h.locks[i], h.sites[i]});
            }
        }
        return out;
    }
}
