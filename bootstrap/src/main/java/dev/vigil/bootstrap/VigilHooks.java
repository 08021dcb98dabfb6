package dev.vigil.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The entry points that instrumented JDK and application code calls.
 *
 * <p><b>Invariant: this class and everything in its package are loaded by the bootstrap class
 * loader and use JDK types only.</b> Instrumented {@code java.lang.Thread} can only resolve
 * classes the bootstrap loader sees, so nothing here may reference the agent, Byte Buddy, Jackson
 * or any other library. The agent installs listeners (interfaces declared in this package) and
 * the hooks hand every event to them.
 *
 * <p>Rules every hook follows:
 * <ul>
 *   <li>No exception escapes: failures are counted in {@link #internalErrors()} and the host goes on.
 *   <li>Re-entry guard: while a thread is inside the agent (or is one of the agent's own threads)
 *       hooks return at once, so the agent's own locks, threads and maps are never tracked and a
 *       hook can never recurse into itself.
 *   <li>Nothing blocks: listeners must not wait on anything the host might hold.
 * </ul>
 */
public final class VigilHooks {

    private VigilHooks() {
    }

    /** Per-thread depth counter and tracker state; agent threads carry a permanent non-zero depth. */
    private static final ThreadLocal<ThreadSlot> SLOT = new ThreadLocal<>();

    /**
     * The slots of current threads, indexed by thread id: a hook finds its thread's slot with
     * three dependent loads and a compare, where a {@code ThreadLocal} lookup takes six, and a
     * real call when the slot's home index in the thread's map is taken (which varies from run to
     * run: the JMH lock benchmark moved by 30 % between forks). A thread whose entry belongs to
     * another live thread uses {@link #SLOT}. Written racily: an entry is only ever believed after
     * checking that it refers to the calling thread, and a slot's thread is fixed.
     */
    private static final int TABLE_MASK = 1023;
    private static final ThreadSlot[] TABLE = new ThreadSlot[TABLE_MASK + 1];

    private static final int AGENT_THREAD = 1 << 20;

    private static final AtomicLong INTERNAL_ERRORS = new AtomicLong();

    private static volatile Throwable firstInternalError;

    private static final AtomicLong OUT_OF_MEMORY = new AtomicLong();

    private static volatile ThreadListener threadListener;

    private static volatile LockListener lockListener;

    // ---------------------------------------------------------------- installation

    public static void setThreadListener(ThreadListener listener) {
        threadListener = listener;
    }

    public static void setLockListener(LockListener listener) {
        lockListener = listener;
    }

    /** Marks the calling thread as one of Vigil's own: no hook ever tracks it. */
    public static void markAgentThread() {
        slot().depth = AGENT_THREAD;
    }

    /** True when the calling thread is inside the agent or is one of its threads. */
    public static boolean insideAgent() {
        return slot().depth != 0;
    }

    /**
     * Enters the agent on this thread. Returns false (and enters nothing) when the thread is
     * already inside: the caller must then skip its work. Every {@code true} must be paired with
     * {@link #leave()}.
     */
    public static boolean enter() {
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return false;
        }
        s.depth = 1;
        return true;
    }

    public static void leave() {
        ThreadSlot s = slot();
        if (s.depth == 1) {
            s.depth = 0;
        }
    }

    /**
     * The calling thread's slot (created on first use), for hooks in this package and for the
     * agent's own bookkeeping on the calling thread. Not a re-entry guard.
     */
    public static ThreadSlot currentSlot() {
        return slot();
    }

    private static ThreadSlot slot() {
        Thread t = Thread.currentThread();
        ThreadSlot s = TABLE[tableIndex(t)];
        return s != null && s.refersTo(t) ? s : slotAside(t);
    }

    /**
     * A thread's home index in {@link #TABLE}: its id, or for a thread of an application subclass
     * its identity hash, since {@code Thread.getId} is overridable up to JDK 18 and the agent never
     * runs application code (issue 15). Any index is correct: an entry is believed only once it
     * refers to the thread.
     */
    private static int tableIndex(Thread t) {
        Class<?> c = t.getClass();
        long key = c == Thread.class || c.getClassLoader() == null ? t.getId() : System.identityHashCode(t);
        return (int) key & TABLE_MASK;
    }

    /**
     * The calling thread's slot when the table does not have it: from {@link #SLOT} (created on
     * first use), put in the table when its entry is free, or its thread gone or collected (looked
     * at once every 1024 lookups here: a live neighbour keeps its entry, this thread its
     * thread-local).
     */
    private static ThreadSlot slotAside(Thread t) {
        try {
            ThreadSlot s = SLOT.get();
            if (s == null) {
                s = new ThreadSlot(t);
                SLOT.set(s);
            }
            int i = tableIndex(t);
            ThreadSlot other = TABLE[i];
            if (other == null || other.refersTo(null) || ((s.asides++ & 1023) == 0 && !aliveOwner(other))) {
                TABLE[i] = s;
            }
            return s;
        } catch (Throwable e) { // no heap for the slot: the hook skips its work, the host goes on
            internalError(e);
            return UNAVAILABLE;
        }
    }

    /**
     * The slot of a thread whose own could not be made: always "inside the agent" (an agent
     * thread's depth, which {@link #leave} never resets), so every hook skips its work.
     */
    private static final ThreadSlot UNAVAILABLE = unavailable();

    private static ThreadSlot unavailable() {
        ThreadSlot s = new ThreadSlot(null);
        s.depth = AGENT_THREAD;
        return s;
    }

    private static boolean aliveOwner(ThreadSlot slot) {
        Thread owner = slot.get();
        return owner != null && owner.isAlive();
    }

    /** {@code thread} (the calling thread) ends: its table entry is free again. */
    private static void forgetSlot(Thread thread) {
        int i = tableIndex(thread);
        ThreadSlot s = TABLE[i];
        if (s != null && s.refersTo(thread)) {
            TABLE[i] = null;
        }
    }

    // ---------------------------------------------------------------- internal errors

    /**
     * A hook failed; the host goes on. An {@link OutOfMemoryError} is the host's heap running out
     * while a hook allocated, not a fault of the agent's: it is counted apart (the report's
     * {@code agent.memory.agentOutOfMemoryErrors}) and makes the agent shed its own state.
     */
    public static void internalError(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            OUT_OF_MEMORY.incrementAndGet();
            return;
        }
        if (INTERNAL_ERRORS.getAndIncrement() == 0) {
            firstInternalError = t;
        }
    }

    public static long internalErrors() {
        return INTERNAL_ERRORS.get();
    }

    /** Hooks that ran out of memory (not internal errors). */
    public static long outOfMemoryErrors() {
        return OUT_OF_MEMORY.get();
    }

    public static Throwable firstInternalError() {
        return firstInternalError;
    }

    // ---------------------------------------------------------------- threads

    /** Called on entry to {@code Thread.start()}. */
    public static void threadStarting(Thread thread) {
        ThreadListener l = threadListener;
        if (l == null || !enter()) {
            return;
        }
        try {
            l.starting(Thread.currentThread(), thread);
        } catch (Throwable t) {
            internalError(t);
        } finally {
            leave();
        }
    }

    /**
     * A virtual thread was constructed with {@code task} (JDK 21+): noted in the creating thread's
     * slot for the start that usually follows on the same thread. Never throws.
     */
    public static void virtualThreadCreated(Thread thread, Runnable task) {
        if (threadListener == null || task == null) {
            return;
        }
        try {
            ThreadSlot s = slot();
            if (s.depth == 0) {
                s.newVirtualTask = task.getClass();
                s.newVirtualHash = System.identityHashCode(thread);
            }
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /** Called when {@code Thread.start()} throws. */
    public static void threadStartFailed(Thread thread) {
        ThreadListener l = threadListener;
        if (l == null || !enter()) {
            return;
        }
        try {
            l.startFailed(thread);
        } catch (Throwable t) {
            internalError(t);
        } finally {
            leave();
        }
    }

    /** Called on entry to the private {@code Thread.exit()} that the VM runs on a terminating thread. */
    /**
     * A virtual thread's {@code run(Runnable)} returns: its task is done. Passed on only when the
     * calling thread is that virtual thread (JDK 22+; on JDK 21 the method unmounts it first).
     */
    public static void virtualThreadRunEnded(Thread thread) {
        ThreadListener l = threadListener;
        if (l != null && Thread.currentThread() == thread && enter()) {
            try {
                l.virtualRunEnded(thread);
            } catch (Throwable t) {
                internalError(t);
            } finally {
                leave();
            }
        }
    }

    public static void threadExiting(Thread thread) {
        ThreadListener l = threadListener;
        if (l != null && enter()) {
            try {
                l.exiting(thread);
            } catch (Throwable t) {
                internalError(t);
            } finally {
                leave();
            }
        }
        forgetSlot(thread);
    }

    // ---------------------------------------------------------------- locks
    // Hot path (uncontended lock/unlock in application code): one thread-local lookup per event
    // (the slot carries both the re-entry depth and the tracker's per-thread state), and each hook
    // is small enough for C2 to inline into the instrumented method together with the tracker's
    // fast path. A shared dispatcher with a switch (as the thread hooks use) was too big to inline
    // and cost a call per event: about 2x on an uncontended lock/unlock pair (docs/PERFORMANCE.md).
    // The four hot hooks check the re-entry guard but do not enter it: the tracker's fast path
    // touches only the thread's own arrays, and its slow paths enter the guard themselves.

    /**
     * The lock listener as a constant for the two hot hooks: C2 folds a static final, so the hook
     * reads no volatile (which would also force every later field of the tracker to be re-read) and
     * calls the tracker directly. Initialised on the first lock event, which the agent makes sure
     * comes after {@link #setLockListener} (its own preload, before any class is instrumented); a
     * listener set later is seen by the other lock hooks only.
     */
    private static final class LockListenerHolder {
        static final LockListener LISTENER = lockListener;
    }

    /**
     * The calling thread takes {@code lock} (just before MONITORENTER, on a synchronized method's
     * entry, after {@code lock()} returns).
     */
    public static void lockAcquired(Object lock, String site, int flags) {
        LockListener l = LockListenerHolder.LISTENER;
        if (l == null || lock == null) {
            return;
        }
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return;
        }
        try {
            l.acquired(s, lock, site, flags); // outside the guard: see LockTracker
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /** The calling thread is about to release one hold of {@code lock}. */
    public static void lockReleasing(Object lock) {
        LockListener l = LockListenerHolder.LISTENER;
        if (l == null || lock == null) {
            return;
        }
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return;
        }
        try {
            l.released(s, lock); // outside the guard: see LockTracker
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /**
     * The calling thread takes monitor {@code lock}: just before MONITORENTER (flags
     * {@link LockListener#EARLY}: it may still block on it) or on a synchronized method's entry
     * (flags 0: held). A monitor is its own node: no type checks on this path.
     */
    public static void monitorAcquired(Object lock, String site, int flags) {
        LockListener l = LockListenerHolder.LISTENER;
        if (l == null || lock == null) {
            return;
        }
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return;
        }
        try {
            l.monitorAcquired(s, lock, site, flags); // outside the guard: see LockTracker
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /** The calling thread is about to release one hold of monitor {@code lock}. */
    public static void monitorReleasing(Object lock) {
        LockListener l = LockListenerHolder.LISTENER;
        if (l == null || lock == null) {
            return;
        }
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return;
        }
        try {
            l.monitorReleasing(s, lock); // outside the guard: see LockTracker
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /**
     * The calling thread could not take {@code lock} at once and is about to block on it in
     * {@code lock()}: the tracker records what it waits for and looks for a deadlock it would
     * close. Called only on the contended path. Pair with {@link #lockUnblocked}.
     */
    public static void lockBlocking(Object lock, String site) {
        lockEvent(BLOCKING, lock, site, 0);
    }

    /**
     * True when {@code lock} (a read or write view of a {@code ReentrantReadWriteLock}) looks held
     * by another thread in a mode that makes the calling thread's {@code lock()} block. A racy
     * look, for the contended path only; false when unknown.
     */
    public static boolean lockLooksTaken(Object lock) {
        LockListener l = lockListener;
        if (l == null || lock == null) {
            return false;
        }
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return false;
        }
        s.depth = 1;
        try {
            return l.looksTaken(s, lock);
        } catch (Throwable t) {
            internalError(t);
            return false;
        } finally {
            s.depth = 0;
        }
    }

    /**
     * The calling thread's holds of {@code lock} ({@link LockListener#holds}): read before and after
     * the program's own call on a lock whose methods may not be the JDK's (a subclass, a mock, a
     * spy), so that only a call that really took or released the lock is recorded.
     * {@link LockListener#HOLDS_UNKNOWN} when unknown or inside the agent.
     */
    public static int lockHolds(Object lock) {
        LockListener l = lockListener;
        if (l == null || lock == null) {
            return LockListener.HOLDS_UNKNOWN;
        }
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return LockListener.HOLDS_UNKNOWN;
        }
        s.depth = 1;
        try {
            return l.holds(s, lock);
        } catch (Throwable t) {
            internalError(t);
            return LockListener.HOLDS_UNKNOWN;
        } finally {
            s.depth = 0;
        }
    }

    /** The blocking {@code lock()} returned or threw: the thread no longer waits for {@code lock}. */
    public static void lockUnblocked(Object lock) {
        lockEvent(UNBLOCKED, lock, null, 0);
    }

    /**
     * Application code created {@code lock} (a {@code ReentrantLock} or
     * {@code ReentrantReadWriteLock}) at {@code site}: its allocation site is its lock class.
     */
    public static void lockCreated(Object lock, String site) {
        lockEvent(CREATED, lock, site, 0);
    }

    private static final int CREATED = 6;
    private static final int WAIT_STARTING = 2;
    private static final int WAIT_ENDED = 3;
    private static final int BLOCKING = 4;
    private static final int UNBLOCKED = 5;

    /** {@code Object.wait}/{@code Condition.await} is about to release the lock. */
    public static void waitStarting(Object monitorOrCondition) {
        lockEvent(WAIT_STARTING, monitorOrCondition, null, 0);
    }

    /** The wait is over: the lock is held again. */
    public static void waitEnded(Object monitorOrCondition, String site) {
        lockEvent(WAIT_ENDED, monitorOrCondition, site, 0);
    }

    private static void lockEvent(int event, Object lock, String site, int flags) {
        LockListener l = lockListener;
        if (l == null || lock == null) {
            return;
        }
        ThreadSlot s = slot();
        if (s.depth != 0) {
            return;
        }
        s.depth = 1;
        try {
            switch (event) {
                case WAIT_STARTING -> l.waitStarted(s, lock);
                case WAIT_ENDED -> l.waitEnded(s, lock, site);
                case BLOCKING -> l.blocking(s, lock, site);
                case CREATED -> l.created(s, lock, site);
                default -> l.unblocked(s, lock);
            }
        } catch (Throwable t) {
            internalError(t);
        } finally {
            s.depth = 0;
        }
    }
}
