package dev.vigil.bootstrap;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Stand-ins for {@code Lock}, {@code Condition} and {@code Object.wait} calls in application code.
 * The agent rewrites such a call, e.g. {@code lock.lock()}, into {@code LockCalls.lock(lock, site)}
 * where {@code site} is a constant naming the calling line: the tracker learns where each lock was
 * taken without ever walking the stack on the hot path.
 *
 * <p>Every method makes exactly the call the application made, with the same arguments, result
 * and exceptions; the hook around it never throws (see {@link VigilHooks}). JDK types only.
 */
public final class LockCalls {

    private LockCalls() {
    }

    private static final int TAKEN = 0;
    private static final int CONTENDED = 1;
    private static final int UNTRIED = 2;

    public static void lock(Lock lock, String site) {
        int a = attempt(lock);
        if (a == CONTENDED) {
            VigilHooks.lockBlocking(lock, site);
            try {
                lock.lock();
            } finally {
                VigilHooks.lockUnblocked(lock);
            }
        } else if (a == UNTRIED) {
            lock.lock();
        }
        VigilHooks.lockAcquired(lock, site, 0);
    }

    public static void lockInterruptibly(Lock lock, String site) throws InterruptedException {
        // An interrupted thread must get its InterruptedException even when the lock is free.
        int a = Thread.currentThread().isInterrupted() ? UNTRIED : attempt(lock);
        if (a == CONTENDED) {
            VigilHooks.lockBlocking(lock, site);
            try {
                lock.lockInterruptibly();
            } finally {
                VigilHooks.lockUnblocked(lock);
            }
        } else if (a == UNTRIED) {
            lock.lockInterruptibly();
        }
        VigilHooks.lockAcquired(lock, site, 0);
    }

    /**
     * Takes {@code lock} at once if it can, the way {@code lock()} would ({@link #TAKEN}), or says
     * that another thread holds it ({@link #CONTENDED}: the caller looks for a deadlock, then
     * blocks) or that it was not tried ({@link #UNTRIED}). Nothing extra on the uncontended path:
     * a non-fair {@code ReentrantLock}'s {@code lock()} starts with the same attempt as
     * {@code tryLock()}. A fair lock is not tried (tryLock would barge past its queue): it is only
     * looked at, racily, which is enough to look for a deadlock before blocking; so are the read
     * and write views of a {@code ReentrantReadWriteLock}. Custom locks are not tried: their
     * deadlocks are left to the watch.
     */
    private static int attempt(Lock lock) {
        // Only the JDK's own classes are tried or looked at: an application subclass's tryLock,
        // isLocked... are application code, which the agent never runs (issue 15).
        Class<?> c = lock.getClass();
        if (c == ReentrantLock.class) {
            ReentrantLock r = (ReentrantLock) lock;
            if (!r.isFair()) {
                return r.tryLock() ? TAKEN : CONTENDED;
            }
            if (r.isLocked() && !r.isHeldByCurrentThread()) {
                return CONTENDED;
            }
        } else if (c == ReentrantReadWriteLock.ReadLock.class || c == ReentrantReadWriteLock.WriteLock.class) {
            // Not tried (a read or write view cannot tell whether its lock is fair): the tracker
            // looks at the lock's state, racily, which is enough to look for a deadlock first.
            return VigilHooks.lockLooksTaken(lock) ? CONTENDED : UNTRIED;
        }
        return UNTRIED;
    }

    public static boolean tryLock(Lock lock, String site) {
        boolean taken = lock.tryLock();
        if (taken) {
            VigilHooks.lockAcquired(lock, site, LockListener.TRY);
        }
        return taken;
    }

    /** A timed tryLock gives up after the timeout: like tryLock, it cannot deadlock for ever. */
    public static boolean tryLock(Lock lock, long time, TimeUnit unit, String site) throws InterruptedException {
        boolean taken = lock.tryLock(time, unit);
        if (taken) {
            VigilHooks.lockAcquired(lock, site, LockListener.TRY);
        }
        return taken;
    }

    public static void unlock(Lock lock, String site) {
        VigilHooks.lockReleasing(lock);
        lock.unlock();
    }

    // ---------------------------------------------------------------- Condition

    public static void await(Condition c, String site) throws InterruptedException {
        VigilHooks.waitStarting(c);
        Object stuck = SyncHooks.waitStarting(c, SyncListener.CONDITION, site); // stuck-wait watch
        try {
            c.await();
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(c, site);
        }
    }

    public static boolean await(Condition c, long time, TimeUnit unit, String site) throws InterruptedException {
        VigilHooks.waitStarting(c);
        Object stuck = SyncHooks.waitStarting(c, SyncListener.CONDITION, site); // stuck-wait watch
        try {
            return c.await(time, unit);
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(c, site);
        }
    }

    public static long awaitNanos(Condition c, long nanos, String site) throws InterruptedException {
        VigilHooks.waitStarting(c);
        Object stuck = SyncHooks.waitStarting(c, SyncListener.CONDITION, site); // stuck-wait watch
        try {
            return c.awaitNanos(nanos);
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(c, site);
        }
    }

    public static void awaitUninterruptibly(Condition c, String site) {
        VigilHooks.waitStarting(c);
        Object stuck = SyncHooks.waitStarting(c, SyncListener.CONDITION, site); // stuck-wait watch
        try {
            c.awaitUninterruptibly();
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(c, site);
        }
    }

    public static boolean awaitUntil(Condition c, Date deadline, String site) throws InterruptedException {
        VigilHooks.waitStarting(c);
        Object stuck = SyncHooks.waitStarting(c, SyncListener.CONDITION, site); // stuck-wait watch
        try {
            return c.awaitUntil(deadline);
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(c, site);
        }
    }

    // ---------------------------------------------------------------- Object.wait

    public static void wait(Object monitor, String site) throws InterruptedException {
        VigilHooks.waitStarting(monitor);
        try {
            monitor.wait();
        } finally {
            VigilHooks.waitEnded(monitor, site);
        }
    }

    public static void wait(Object monitor, long millis, String site) throws InterruptedException {
        VigilHooks.waitStarting(monitor);
        try {
            monitor.wait(millis);
        } finally {
            VigilHooks.waitEnded(monitor, site);
        }
    }

    public static void wait(Object monitor, long millis, int nanos, String site) throws InterruptedException {
        VigilHooks.waitStarting(monitor);
        try {
            monitor.wait(millis, nanos);
        } finally {
            VigilHooks.waitEnded(monitor, site);
        }
    }
}
