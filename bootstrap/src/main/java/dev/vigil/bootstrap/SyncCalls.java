package dev.vigil.bootstrap;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Stand-ins for {@code Semaphore}, {@code CountDownLatch}, {@code CyclicBarrier}, {@code Phaser}
 * and {@code LockSupport.park} calls in application code. The agent rewrites e.g.
 * {@code sem.acquire()} into {@code SyncCalls.acquire(sem, site)}, {@code site} a constant naming
 * the calling line, so the JDK's own uses of these classes (inside executors, queues...) are never
 * seen and no stack is walked on the hot path.
 *
 * <p>Every method makes the application's call with the same arguments, result and exceptions.
 * A call that can block first tries the non-blocking form with the same semantics (e.g.
 * {@code tryAcquire(0, NANOSECONDS)} has the fairness and interrupt checks of {@code acquire()}),
 * so that only a wait that really blocks is registered with the stuck-wait watch. JDK types only.
 */
public final class SyncCalls {

    private SyncCalls() {
    }

    private static final int SEMAPHORE = SyncListener.SEMAPHORE;

    /**
     * Whether {@code o} is an instance of the JDK class itself, not of an application subclass,
     * and no other agent has retransformed that class (a mock of it: {@link InterceptedClasses}).
     * Only then may a stand-in make a call the application did not make (the non-blocking try
     * first, a racy look): a subclass's overrides are application code, and the agent never runs
     * application code the program did not run itself (issue 15); a mock's calls are counted and
     * verified by the test. Otherwise the stand-in makes exactly the application's call, and
     * registers it as a wait that may block.
     */
    private static boolean exactly(Object o, Class<?> jdkClass) {
        return o.getClass() == jdkClass && !InterceptedClasses.has(jdkClass);
    }

    /** {@link #permits}: the semaphore has no JDK synchronizer (a mock: its constructor never ran). */
    private static final long NONE = Long.MIN_VALUE;
    /** {@link #permits}: the calls are believed (an application subclass, or the fields unreadable). */
    private static final long BELIEVED = Long.MAX_VALUE;

    /**
     * For a semaphore that is not {@link #exactly} the JDK's: {@link #NONE} for a mock, whose
     * calls take and give nothing; for an instance of a class another agent retransformed (a
     * spy, or any semaphore once {@code Semaphore} was mocked) its permits by the JDK's
     * synchronizer, read before and after the program's call ({@link #acquiredBy},
     * {@link #releasedBy}): a spy's call under {@code verify} changes nothing; else
     * {@link #BELIEVED}. Never a method of the semaphore.
     */
    private static long permits(Semaphore s) {
        if (!JdkFields.semaphoresBound()) {
            return BELIEVED;
        }
        if (JdkFields.semaphoreSync(s) == null) {
            return NONE;
        }
        return InterceptedClasses.has(Semaphore.class) ? JdkFields.semaphorePermits(s) : BELIEVED;
    }

    /**
     * Whether the program's acquire on a semaphore that is not {@link #exactly} the JDK's took
     * permits ({@code before}: {@link #permits} before the call). A racy judgement for the
     * retransformed class only: the permits fell, or there were not enough to take without
     * waiting (an acquire that waited took them); a release by another thread between the two
     * reads can hide a real acquisition.
     */
    private static boolean acquiredBy(Semaphore s, long before, int permits) {
        return before == BELIEVED || before != NONE && (before < permits || JdkFields.semaphorePermits(s) < before);
    }

    /** As {@link #acquiredBy}, for a release: the permits rose. */
    private static boolean releasedBy(Semaphore s, long before) {
        return before == BELIEVED || before != NONE && JdkFields.semaphorePermits(s) > before;
    }

    // ---------------------------------------------------------------- Semaphore

    public static void acquire(Semaphore s, String site) throws InterruptedException {
        acquire(s, 1, site, false);
    }

    public static void acquire(Semaphore s, int permits, String site) throws InterruptedException {
        acquire(s, permits, site, true);
    }

    private static void acquire(Semaphore s, int permits, String site, boolean counted) throws InterruptedException {
        if (!exactly(s, Semaphore.class)) {
            long before = permits(s);
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                if (counted) {
                    s.acquire(permits);
                } else {
                    s.acquire();
                }
            } finally {
                SyncHooks.waitEnded(w);
            }
            if (acquiredBy(s, before, permits)) {
                SyncHooks.acquired(s, permits, site);
            }
            return;
        }
        if (!(counted ? s.tryAcquire(permits, 0L, TimeUnit.NANOSECONDS) : s.tryAcquire(0L, TimeUnit.NANOSECONDS))) {
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                if (counted) {
                    s.acquire(permits);
                } else {
                    s.acquire();
                }
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
        SyncHooks.acquired(s, permits, site);
    }

    public static void acquireUninterruptibly(Semaphore s, String site) {
        acquireUninterruptibly(s, 1, site, false);
    }

    public static void acquireUninterruptibly(Semaphore s, int permits, String site) {
        acquireUninterruptibly(s, permits, site, true);
    }

    private static void acquireUninterruptibly(Semaphore s, int permits, String site, boolean counted) {
        // No non-blocking twin that ignores interrupts: judge "would block" by a racy look, which
        // only decides whether the wait is registered, never how the call behaves.
        boolean own = exactly(s, Semaphore.class);
        long before = own ? BELIEVED : permits(s);
        if (own && s.availablePermits() >= permits && !s.hasQueuedThreads()) {
            s.acquireUninterruptibly(permits);
        } else {
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                if (counted) {
                    s.acquireUninterruptibly(permits);
                } else {
                    s.acquireUninterruptibly();
                }
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
        if (acquiredBy(s, before, permits)) {
            SyncHooks.acquired(s, permits, site);
        }
    }

    public static boolean tryAcquire(Semaphore s, String site) {
        long before = exactly(s, Semaphore.class) ? BELIEVED : permits(s);
        boolean taken = s.tryAcquire();
        if (taken && acquiredBy(s, before, 1)) {
            SyncHooks.acquired(s, 1, site);
        }
        return taken;
    }

    public static boolean tryAcquire(Semaphore s, int permits, String site) {
        long before = exactly(s, Semaphore.class) ? BELIEVED : permits(s);
        boolean taken = s.tryAcquire(permits);
        if (taken && acquiredBy(s, before, permits)) {
            SyncHooks.acquired(s, permits, site);
        }
        return taken;
    }

    public static boolean tryAcquire(Semaphore s, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        return tryAcquire(s, 1, timeout, unit, site, false);
    }

    public static boolean tryAcquire(Semaphore s, int permits, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        return tryAcquire(s, permits, timeout, unit, site, true);
    }

    private static boolean tryAcquire(Semaphore s, int permits, long timeout, TimeUnit unit, String site,
                                      boolean counted) throws InterruptedException {
        boolean own = exactly(s, Semaphore.class);
        long before = own ? BELIEVED : permits(s);
        boolean taken = own && s.tryAcquire(permits, 0L, TimeUnit.NANOSECONDS);
        if (!taken) {
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                taken = counted ? s.tryAcquire(permits, timeout, unit) : s.tryAcquire(timeout, unit);
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
        if (taken && acquiredBy(s, before, permits)) {
            SyncHooks.acquired(s, permits, site);
        }
        return taken;
    }

    public static void release(Semaphore s, String site) {
        long before = exactly(s, Semaphore.class) ? BELIEVED : permits(s);
        s.release();
        if (releasedBy(s, before)) {
            SyncHooks.released(s, 1, site);
        }
    }

    public static void release(Semaphore s, int permits, String site) {
        long before = exactly(s, Semaphore.class) ? BELIEVED : permits(s);
        s.release(permits);
        if (releasedBy(s, before)) {
            SyncHooks.released(s, permits, site);
        }
    }

    // ---------------------------------------------------------------- CountDownLatch

    public static void await(CountDownLatch l, String site) throws InterruptedException {
        if (!exactly(l, CountDownLatch.class) || !l.await(0L, TimeUnit.NANOSECONDS)) {
            Object w = SyncHooks.waitStarting(l, SyncListener.LATCH, site);
            try {
                l.await();
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
    }

    public static boolean await(CountDownLatch l, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        if (exactly(l, CountDownLatch.class) && l.await(0L, TimeUnit.NANOSECONDS)) {
            return true;
        }
        Object w = SyncHooks.waitStarting(l, SyncListener.LATCH, site);
        try {
            return l.await(timeout, unit);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    /** Called just after {@code new Semaphore(...)}, {@code new CountDownLatch(n)} or {@code new Phaser(...)} in application code. */
    public static void created(Object synchronizer, String site) {
        if (synchronizer instanceof Semaphore) {
            SyncHooks.semaphoreCreated(synchronizer, site);
        } else {
            SyncHooks.synchronizerCreated(synchronizer, site);
        }
    }

    public static void countDown(CountDownLatch l, String site) {
        l.countDown();
        SyncHooks.countedDown(l, site);
    }

    // ---------------------------------------------------------------- CyclicBarrier

    public static int await(CyclicBarrier b, String site) throws InterruptedException, BrokenBarrierException {
        Object w = SyncHooks.waitStarting(b, SyncListener.BARRIER, site);
        try {
            return b.await();
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static int await(CyclicBarrier b, long timeout, TimeUnit unit, String site)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        Object w = SyncHooks.waitStarting(b, SyncListener.BARRIER, site);
        try {
            return b.await(timeout, unit);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    // ---------------------------------------------------------------- Phaser

    public static int register(Phaser p, String site) {
        int phase = p.register();
        SyncHooks.phaserEvent(p, SyncListener.PHASER_REGISTER, phase, 1, site);
        return phase;
    }

    public static int bulkRegister(Phaser p, int parties, String site) {
        int phase = p.bulkRegister(parties);
        SyncHooks.phaserEvent(p, SyncListener.PHASER_BULK_REGISTER, phase, parties, site);
        return phase;
    }

    public static int arrive(Phaser p, String site) {
        int phase = p.arrive();
        SyncHooks.phaserEvent(p, SyncListener.PHASER_ARRIVE, phase, 1, site);
        return phase;
    }

    public static int arriveAndDeregister(Phaser p, String site) {
        int phase = p.arriveAndDeregister();
        SyncHooks.phaserEvent(p, SyncListener.PHASER_DEREGISTER, phase, 1, site);
        return phase;
    }

    public static int arriveAndAwaitAdvance(Phaser p, String site) {
        // The phase cannot advance before this party arrives: the phase now is its arrival phase.
        // (getPhase is final, but a mock's is intercepted: not asked of a retransformed Phaser.)
        if (!InterceptedClasses.has(Phaser.class)) {
            SyncHooks.phaserEvent(p, SyncListener.PHASER_ARRIVE, p.getPhase(), 1, site);
        }
        Object w = SyncHooks.waitStarting(p, SyncListener.PHASER, site);
        try {
            return p.arriveAndAwaitAdvance();
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static int awaitAdvance(Phaser p, int phase, String site) {
        if (!InterceptedClasses.has(Phaser.class) && p.getPhase() != phase) {
            return p.awaitAdvance(phase); // returns at once
        }
        Object w = SyncHooks.waitStarting(p, SyncListener.PHASER, site);
        try {
            return p.awaitAdvance(phase);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static int awaitAdvanceInterruptibly(Phaser p, int phase, String site) throws InterruptedException {
        if (!InterceptedClasses.has(Phaser.class) && p.getPhase() != phase) {
            return p.awaitAdvanceInterruptibly(phase);
        }
        Object w = SyncHooks.waitStarting(p, SyncListener.PHASER, site);
        try {
            return p.awaitAdvanceInterruptibly(phase);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static int awaitAdvanceInterruptibly(Phaser p, int phase, long timeout, TimeUnit unit, String site)
            throws InterruptedException, TimeoutException {
        if (!InterceptedClasses.has(Phaser.class) && p.getPhase() != phase) {
            return p.awaitAdvanceInterruptibly(phase, timeout, unit);
        }
        Object w = SyncHooks.waitStarting(p, SyncListener.PHASER, site);
        try {
            return p.awaitAdvanceInterruptibly(phase, timeout, unit);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    // ---------------------------------------------------------------- LockSupport (static calls)

    public static void park(String site) {
        Object w = SyncHooks.waitStarting(null, SyncListener.PARK, site);
        try {
            LockSupport.park();
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static void park(Object blocker, String site) {
        Object w = SyncHooks.waitStarting(blocker, SyncListener.PARK, site);
        try {
            LockSupport.park(blocker);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static void parkNanos(long nanos, String site) {
        Object w = SyncHooks.waitStarting(null, SyncListener.PARK, site);
        try {
            LockSupport.parkNanos(nanos);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static void parkNanos(Object blocker, long nanos, String site) {
        Object w = SyncHooks.waitStarting(blocker, SyncListener.PARK, site);
        try {
            LockSupport.parkNanos(blocker, nanos);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static void parkUntil(long deadline, String site) {
        Object w = SyncHooks.waitStarting(null, SyncListener.PARK, site);
        try {
            LockSupport.parkUntil(deadline);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static void parkUntil(Object blocker, long deadline, String site) {
        Object w = SyncHooks.waitStarting(blocker, SyncListener.PARK, site);
        try {
            LockSupport.parkUntil(blocker, deadline);
        } finally {
            SyncHooks.waitEnded(w);
        }
    }
}
