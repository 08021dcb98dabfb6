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
     * Whether {@code o} is an instance of the JDK class itself, not of an application subclass.
     * Only then may a stand-in make a call the application did not make (the non-blocking try
     * first, a racy look): a subclass's overrides are application code, and the agent never runs
     * application code the program did not run itself (issue 15). For a subclass the stand-in
     * makes exactly the application's call, and registers it as a wait that may block.
     */
    private static boolean exactly(Object o, Class<?> jdkClass) {
        return o.getClass() == jdkClass;
    }

    // ---------------------------------------------------------------- Semaphore

    public static void acquire(Semaphore s, String site) throws InterruptedException {
        if (!exactly(s, Semaphore.class) || !s.tryAcquire(0L, TimeUnit.NANOSECONDS)) {
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                s.acquire();
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
        SyncHooks.acquired(s, 1, site);
    }

    public static void acquire(Semaphore s, int permits, String site) throws InterruptedException {
        if (!exactly(s, Semaphore.class) || !s.tryAcquire(permits, 0L, TimeUnit.NANOSECONDS)) {
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                s.acquire(permits);
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
        SyncHooks.acquired(s, permits, site);
    }

    public static void acquireUninterruptibly(Semaphore s, String site) {
        acquireUninterruptibly(s, 1, site);
    }

    public static void acquireUninterruptibly(Semaphore s, int permits, String site) {
        // No non-blocking twin that ignores interrupts: judge "would block" by a racy look, which
        // only decides whether the wait is registered, never how the call behaves.
        if (exactly(s, Semaphore.class) && s.availablePermits() >= permits && !s.hasQueuedThreads()) {
            s.acquireUninterruptibly(permits);
        } else {
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                s.acquireUninterruptibly(permits);
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
        SyncHooks.acquired(s, permits, site);
    }

    public static boolean tryAcquire(Semaphore s, String site) {
        boolean taken = s.tryAcquire();
        if (taken) {
            SyncHooks.acquired(s, 1, site);
        }
        return taken;
    }

    public static boolean tryAcquire(Semaphore s, int permits, String site) {
        boolean taken = s.tryAcquire(permits);
        if (taken) {
            SyncHooks.acquired(s, permits, site);
        }
        return taken;
    }

    public static boolean tryAcquire(Semaphore s, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        return tryAcquire(s, 1, timeout, unit, site);
    }

    public static boolean tryAcquire(Semaphore s, int permits, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        boolean taken = exactly(s, Semaphore.class) && s.tryAcquire(permits, 0L, TimeUnit.NANOSECONDS);
        if (!taken) {
            Object w = SyncHooks.waitStarting(s, SEMAPHORE, site);
            try {
                taken = s.tryAcquire(permits, timeout, unit);
            } finally {
                SyncHooks.waitEnded(w);
            }
        }
        if (taken) {
            SyncHooks.acquired(s, permits, site);
        }
        return taken;
    }

    public static void release(Semaphore s, String site) {
        s.release();
        SyncHooks.released(s, 1, site);
    }

    public static void release(Semaphore s, int permits, String site) {
        s.release(permits);
        SyncHooks.released(s, permits, site);
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
        SyncHooks.phaserEvent(p, SyncListener.PHASER_ARRIVE, p.getPhase(), 1, site);
        Object w = SyncHooks.waitStarting(p, SyncListener.PHASER, site);
        try {
            return p.arriveAndAwaitAdvance();
        } finally {
            SyncHooks.waitEnded(w);
        }
    }

    public static int awaitAdvance(Phaser p, int phase, String site) {
        if (p.getPhase() != phase) {
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
        if (p.getPhase() != phase) {
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
        if (p.getPhase() != phase) {
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
