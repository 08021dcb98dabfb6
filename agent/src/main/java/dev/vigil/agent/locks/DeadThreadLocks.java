package dev.vigil.agent.locks;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.stack.SiteFrames;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * {@code lock-held-by-dead-thread}: a thread ended while it held a {@code ReentrantLock} or a write
 * lock. Nobody can ever unlock it (only the owner may), so every later {@code lock()} blocks for
 * ever. Checked on the ending thread itself ({@code ThreadLedger.onThreadEnd}), from the lock
 * tracker's record of what the thread holds, confirmed with the synchronizer's owner when the JDK's
 * {@code java.util.concurrent.locks} package could be opened to Vigil.
 */
public final class DeadThreadLocks implements Detector {

    static final int MAX = 256;

    static final String HOW_TO_FIX = "Unlock in a finally block right after lock(): lock.lock(); try { ... } "
            + "finally { lock.unlock(); }. A thread that ends (here: by an exception) between lock() and unlock() "
            + "leaves the lock held for ever; every thread that takes it later blocks.";

    private record Dead(long threadId, String threadName, boolean daemon, String site, String label,
                        WeakReference<Object> node, long endMillis) {
    }

    private final LockTracker locks;
    private final SiteFrames siteFrames;
    private final ThreadRefs threadRefs;
    private final List<Dead> dead = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final MethodHandle owner;
    private volatile boolean fresh;

    public DeadThreadLocks(LockTracker locks, StackFrames stacks) {
        this.locks = locks;
        this.siteFrames = new SiteFrames(stacks);
        this.threadRefs = new ThreadRefs(stacks);
        this.owner = ownerGetter();
    }

    /** Needs {@code java.util.concurrent.locks} opened to the agent (done by {@code LockIdentity.open}). */
    private static MethodHandle ownerGetter() {
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(AbstractOwnableSynchronizer.class,
                    MethodHandles.lookup());
            return l.findGetter(AbstractOwnableSynchronizer.class, "exclusiveOwnerThread", Thread.class)
                    .asType(MethodType.methodType(Thread.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** On the ending thread, inside the hook's guard: quick, never blocks. */
    public void threadEnding(Thread t) {
        List<Object[]> held = locks.exclusiveHeld(t);
        for (Object[] h : held) {
            Object node = h[0];
            if (!(node instanceof AbstractOwnableSynchronizer)) {
                continue; // a monitor cannot outlive its thread's frames
            }
            if (owner != null) {
                try {
                    if ((Thread) owner.invokeExact(node) != t) {
                        continue;
                    }
                } catch (Throwable e) {
                    // cannot confirm: trust the tracker
                }
            }
            if (dead.size() >= MAX) {
                dropped.incrementAndGet();
                continue;
            }
            dead.add(new Dead(ThreadFacts.id(t), ThreadFacts.name(t), t.isDaemon(), (String) h[1], label(node),
                    new WeakReference<>(node), System.currentTimeMillis()));
            fresh = true;
        }
    }

    static String label(Object node) {
        String cls = node.getClass().getName();
        String hash = Integer.toHexString(System.identityHashCode(node));
        if (cls.contains("ReentrantReadWriteLock")) {
            return "write lock of ReentrantReadWriteLock (sync@" + hash + ")";
        }
        if (cls.contains("ReentrantLock")) {
            return "ReentrantLock (sync@" + hash + ")";
        }
        return cls.substring(cls.lastIndexOf('.') + 1) + "@" + hash;
    }

    /** For the watch's thread: the trigger to write a report with now, or null. */
    public String tick() {
        if (!fresh) {
            return null;
        }
        fresh = false;
        return FindingKinds.LOCK_HELD_BY_DEAD_THREAD;
    }

    @Override
    public List<Finding> findings(Phase phase) {
        List<Finding> out = new ArrayList<>();
        for (Dead d : dead) {
            Object node = d.node().get();
            if (node == null) {
                continue; // the lock itself is gone: nobody can block on it any more
            }
            List<ThreadRef> threads = new ArrayList<>();
            threads.add(new ThreadRef(d.threadId(), d.threadName(), d.daemon(), false,
                    Thread.State.TERMINATED.name(), List.of()));
            List<String> waiting = new ArrayList<>();
            for (Thread w : queued(node)) {
                threads.add(threadRefs.of(w, ThreadFacts.id(w), ThreadFacts.name(w), w.isDaemon()));
                waiting.add("'" + ThreadFacts.name(w) + "'");
            }
            Site at = StackFrames.site("lock taken", siteFrames.at(d.site(), List.of()));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("lock", d.label());
            details.put("thread", d.threadName());
            details.put("threadId", d.threadId());
            details.put("endedAt", java.time.Instant.ofEpochMilli(d.endMillis()).toString());
            details.put("waiters", waiting.size());
            String title = "Thread '" + d.threadName() + "' ended holding the " + d.label() + " taken at "
                    + at.location();
            String message = "Thread '" + d.threadName() + "' took the " + d.label() + " at " + at.location()
                    + " and ended without unlocking it. Only the owner can unlock it, so it stays locked for ever"
                    + (waiting.isEmpty() ? ": every later lock() blocks."
                    : "; " + String.join(", ", waiting) + " already wait for it.");
            out.add(new Finding(FindingKinds.LOCK_HELD_BY_DEAD_THREAD, Severity.ERROR,
                    Fingerprints.of(FindingKinds.LOCK_HELD_BY_DEAD_THREAD, d.site()), title, message, HOW_TO_FIX,
                    threads, List.of(at), details));
        }
        return out;
    }

    /**
     * Threads queued on the lock. {@code ReentrantReadWriteLock}'s synchronizer is an
     * {@code AbstractQueuedLongSynchronizer} on recent JDKs (an {@code AbstractQueuedSynchronizer} on 17).
     */
    private static java.util.Collection<Thread> queued(Object node) {
        if (node instanceof AbstractQueuedSynchronizer aqs) {
            return aqs.getQueuedThreads();
        }
        if (node instanceof java.util.concurrent.locks.AbstractQueuedLongSynchronizer aqls) {
            return aqls.getQueuedThreads();
        }
        return List.of();
    }

    @Override
    public void resetScope() {
        dead.clear();
    }

    public Map<String, Long> truncated() {
        return Map.of("deadThreadLocksDropped", dropped.get());
    }
}
