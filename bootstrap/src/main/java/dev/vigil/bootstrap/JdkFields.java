package dev.vigil.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Reads JDK-private state that the agent needs from application objects without calling one of
 * their overridable methods (issue 15: the agent never runs application code, and never takes an
 * application lock: {@code ThreadPoolExecutor.getPoolSize} takes the pool's {@code mainLock},
 * which an exiting worker holds while the shutdown hooks run).
 *
 * <p><b>Bootstrap class: JDK types only.</b> The agent opens {@code java.lang} and
 * {@code java.util.concurrent} to the bootstrap loader's unnamed module only (never to the class
 * path's, where the application's own reflection would gain access it does not have without
 * Vigil) and calls {@link #bind()}. Only values leave this class, never the handles. Until bound,
 * or when binding failed, every reader says it cannot tell.
 */
public final class JdkFields {

    private JdkFields() {
    }

    /** {@code ThreadPoolExecutor.COUNT_MASK}: the worker count's bits of {@code ctl}. */
    private static final int COUNT_MASK = (1 << 29) - 1;

    private static volatile MethodHandle threadGetId;
    private static volatile MethodHandle threadGetState;
    private static volatile MethodHandle threadGetStackTrace;
    private static volatile MethodHandle throwableGetMessage;
    private static volatile MethodHandle throwableGetStackTrace;
    private static volatile MethodHandle throwableGetCause;
    private static volatile VarHandle poolCtl;
    private static volatile VarHandle poolWorkers;
    private static volatile VarHandle poolQueue;
    private static volatile VarHandle poolMaximum;
    private static volatile MethodHandle workerLocked;
    private static volatile VarHandle semaphoreSync;
    private static volatile VarHandle syncState;

    /** Binds the field handles once the packages are open to this module; returns null or why not. */
    public static synchronized String bind() {
        try {
            // Thread's own methods, invoked as invokespecial would (never an override). ThreadMXBean is
            // no way round: on JDK 17 its ThreadInfo calls the thread's getId.
            MethodHandles.Lookup inThread = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            threadGetId = inThread.findSpecial(Thread.class, "getId", MethodType.methodType(long.class), Thread.class);
            threadGetState = inThread.findSpecial(Thread.class, "getState", MethodType.methodType(Thread.State.class),
                    Thread.class);
            threadGetStackTrace = inThread.findSpecial(Thread.class, "getStackTrace",
                    MethodType.methodType(StackTraceElement[].class), Thread.class);
            MethodHandles.Lookup inThrowable = MethodHandles.privateLookupIn(Throwable.class, MethodHandles.lookup());
            throwableGetMessage = inThrowable.findSpecial(Throwable.class, "getMessage",
                    MethodType.methodType(String.class), Throwable.class);
            throwableGetStackTrace = inThrowable.findSpecial(Throwable.class, "getStackTrace",
                    MethodType.methodType(StackTraceElement[].class), Throwable.class);
            throwableGetCause = inThrowable.findSpecial(Throwable.class, "getCause",
                    MethodType.methodType(Throwable.class), Throwable.class);
            poolCtl = field(ThreadPoolExecutor.class, "ctl", java.util.concurrent.atomic.AtomicInteger.class);
            poolWorkers = field(ThreadPoolExecutor.class, "workers", java.util.HashSet.class);
            poolQueue = field(ThreadPoolExecutor.class, "workQueue", BlockingQueue.class);
            poolMaximum = field(ThreadPoolExecutor.class, "maximumPoolSize", int.class);
            Class<?> worker = Class.forName("java.util.concurrent.ThreadPoolExecutor$Worker");
            workerLocked = MethodHandles.privateLookupIn(worker, MethodHandles.lookup())
                    .findVirtual(worker, "isLocked", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            Class<?> sync = Class.forName("java.util.concurrent.Semaphore$Sync");
            semaphoreSync = field(java.util.concurrent.Semaphore.class, "sync", sync);
            syncState = field(java.util.concurrent.locks.AbstractQueuedSynchronizer.class, "state", int.class);
            return null;
        } catch (Throwable t) {
            threadGetId = null;
            threadGetState = null;
            threadGetStackTrace = null;
            throwableGetMessage = null;
            throwableGetStackTrace = null;
            throwableGetCause = null;
            poolCtl = null;
            poolWorkers = null;
            poolQueue = null;
            poolMaximum = null;
            workerLocked = null;
            semaphoreSync = null;
            syncState = null;
            return t.toString();
        }
    }

    private static VarHandle field(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
    }

    /** Whether the thread readers below are bound (else they must not be called). */
    public static boolean threadsBound() {
        return threadGetStackTrace != null;
    }

    /** Whether the throwable readers below are bound (else they must not be called). */
    public static boolean throwablesBound() {
        return throwableGetCause != null;
    }

    /** {@code Throwable.getMessage} of the JDK (the detail message), whatever the class overrides. */
    public static String throwableMessage(Throwable t) throws Throwable {
        return (String) throwableGetMessage.invokeExact(t);
    }

    /** {@code Throwable.getStackTrace} of the JDK, whatever the class overrides. */
    public static StackTraceElement[] throwableStack(Throwable t) throws Throwable {
        return (StackTraceElement[]) throwableGetStackTrace.invokeExact(t);
    }

    /** {@code Throwable.getCause} of the JDK, whatever the class overrides. */
    public static Throwable throwableCause(Throwable t) throws Throwable {
        return (Throwable) throwableGetCause.invokeExact(t);
    }

    /** {@code Thread.getId} of the JDK, whatever the thread's class overrides. */
    public static long threadId(Thread t) throws Throwable {
        return (long) threadGetId.invokeExact(t);
    }

    /** {@code Thread.getState} of the JDK, whatever the thread's class overrides. */
    public static Thread.State threadState(Thread t) throws Throwable {
        return (Thread.State) threadGetState.invokeExact(t);
    }

    /** {@code Thread.getStackTrace} of the JDK, whatever the thread's class overrides. */
    public static StackTraceElement[] threadStack(Thread t) throws Throwable {
        return (StackTraceElement[]) threadGetStackTrace.invokeExact(t);
    }

    /** The pool's current worker count ({@code getPoolSize} without its lock); -1 when unknown. */
    public static int poolSize(ThreadPoolExecutor pool) {
        VarHandle h = poolCtl;
        if (h == null) {
            return -1;
        }
        java.util.concurrent.atomic.AtomicInteger ctl = (java.util.concurrent.atomic.AtomicInteger) h.get(pool);
        return ctl.get() & COUNT_MASK;
    }

    /**
     * Whether the pool's run state is {@code SHUTDOWN} or later by its {@code ctl} (the JDK's
     * {@code isShutdown} without an override); false when unknown. It is the pool's own state,
     * whoever shut it down: a spy of the pool (a copy that shares {@code ctl}, its workers and
     * queue) shuts the pool down through an object Vigil never saw created.
     */
    public static boolean poolShutDown(ThreadPoolExecutor pool) {
        VarHandle h = poolCtl;
        if (h == null) {
            return false;
        }
        java.util.concurrent.atomic.AtomicInteger ctl = (java.util.concurrent.atomic.AtomicInteger) h.get(pool);
        return ctl != null && ctl.get() >= 0; // RUNNING is the only negative run state
    }

    /**
     * Workers running a task now ({@code getActiveCount} without its lock): read racily from the
     * worker set, which the pool changes under its lock; -1 when the set changed under every try.
     */
    public static int activeCount(ThreadPoolExecutor pool) {
        VarHandle h = poolWorkers;
        MethodHandle locked = workerLocked;
        if (h == null || locked == null) {
            return -1;
        }
        Collection<?> workers = (Collection<?>) h.get(pool);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                int n = 0;
                for (Object w : workers.toArray()) {
                    if (w != null && (boolean) locked.invokeExact(w)) {
                        n++;
                    }
                }
                return n;
            } catch (java.util.ConcurrentModificationException | ArrayIndexOutOfBoundsException
                    | NullPointerException e) {
                // the set was resized or changed while copied: try again
            } catch (Throwable t) {
                return -1;
            }
        }
        return -1;
    }

    /** The pool's work queue (the object, never through an overridable {@code getQueue}); null when unknown. */
    public static BlockingQueue<?> queue(ThreadPoolExecutor pool) {
        VarHandle h = poolQueue;
        return h == null ? null : (BlockingQueue<?>) h.get(pool);
    }

    /** The pool's maximum size (never through an overridable getter); -1 when unknown. */
    public static int maximumPoolSize(ThreadPoolExecutor pool) {
        VarHandle h = poolMaximum;
        return h == null ? -1 : (int) h.getVolatile(pool);
    }

    /**
     * {@code ForkJoinWorkerThread.pool}, bound on first use, never in premain: loading the
     * fork/join classes before the agent's transformer is installed made JDK 25 run fork/join
     * tasks that the agent's {@code ForkJoinTask.doExec} advice never saw (tasks reported as
     * never started). Null when the field cannot be read.
     */
    private static final class ForkJoinWorkerPool {
        static final VarHandle POOL = bindPool();

        private static VarHandle bindPool() {
            if (threadGetId == null) {
                return null; // not opened
            }
            try {
                return field(java.util.concurrent.ForkJoinWorkerThread.class, "pool",
                        java.util.concurrent.ForkJoinPool.class);
            } catch (Throwable t) {
                return null;
            }
        }
    }

    /** The pool of a fork/join worker ({@code getPool} without its override); null when unknown. */
    public static java.util.concurrent.ForkJoinPool forkJoinPool(java.util.concurrent.ForkJoinWorkerThread w) {
        VarHandle h = ForkJoinWorkerPool.POOL;
        return h == null ? null : (java.util.concurrent.ForkJoinPool) h.get(w);
    }

    /**
     * A semaphore's synchronizer: the JDK's own {@code Semaphore$Sync}, whose
     * {@code AbstractQueuedSynchronizer} methods the agent may call (they are final, or the JDK's
     * own class): {@code availablePermits}, {@code getQueueLength} and {@code hasQueuedThreads}
     * of the semaphore without an application subclass's overrides. Null when unknown.
     */
    public static java.util.concurrent.locks.AbstractQueuedSynchronizer semaphoreSync(java.util.concurrent.Semaphore s) {
        VarHandle h = semaphoreSync;
        return h == null ? null : (java.util.concurrent.locks.AbstractQueuedSynchronizer) h.get(s);
    }

    /** Whether {@link #semaphoreSync} and {@link #semaphorePermits} can read the fields. */
    public static boolean semaphoresBound() {
        return syncState != null;
    }

    /** {@code Semaphore.availablePermits} as the JDK defines it (the synchronizer's state). */
    public static int semaphorePermits(java.util.concurrent.Semaphore s) {
        return (int) syncState.getVolatile(semaphoreSync(s));
    }

    /**
     * {@code CyclicBarrier}'s {@code count} and {@code generation.broken}, bound on first use.
     * The barrier's getters take its lock, which the thread running the barrier action holds for
     * as long as the action runs: read racily instead, never waiting on the application.
     */
    private static final class Barrier {
        static final VarHandle COUNT;
        static final VarHandle GENERATION;
        static final VarHandle BROKEN;

        static {
            VarHandle count = null;
            VarHandle generation = null;
            VarHandle broken = null;
            if (threadGetId != null) {
                try {
                    Class<?> g = Class.forName("java.util.concurrent.CyclicBarrier$Generation");
                    count = field(java.util.concurrent.CyclicBarrier.class, "count", int.class);
                    generation = field(java.util.concurrent.CyclicBarrier.class, "generation", g);
                    broken = field(g, "broken", boolean.class);
                } catch (Throwable t) {
                    count = null;
                    generation = null;
                    broken = null;
                }
            }
            COUNT = count;
            GENERATION = generation;
            BROKEN = broken;
        }
    }

    /** Parties waiting at the barrier now ({@code getNumberWaiting} without its lock); -1 when unknown. */
    public static int barrierWaiting(java.util.concurrent.CyclicBarrier b) {
        VarHandle h = Barrier.COUNT;
        return h == null ? -1 : b.getParties() - (int) h.getVolatile(b);
    }

    /** {@code isBroken} without the barrier's lock; null when unknown. */
    public static Boolean barrierBroken(java.util.concurrent.CyclicBarrier b) {
        VarHandle g = Barrier.GENERATION;
        VarHandle broken = Barrier.BROKEN;
        if (g == null || broken == null) {
            return null;
        }
        Object generation = g.getVolatile(b);
        return generation != null && (boolean) broken.getVolatile(generation);
    }
}
