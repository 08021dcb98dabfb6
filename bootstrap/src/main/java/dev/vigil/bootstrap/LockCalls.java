package dev.vigil.bootstrap;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

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

    public static void lock(Lock lock, String site) {
        lock.lock();
        VigilHooks.lockAcquired(lock, site, 0);
    }

    public static void lockInterruptibly(Lock lock, String site) throws InterruptedException {
        lock.lockInterruptibly();
        VigilHooks.lockAcquired(lock, site, 0);
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
