package dev.vigil.bootstrap;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Stand-ins for {@code Lock}, {@code Condition}, {@code Object.wait} and {@code notify} calls in application code.
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
    private static final int FOREIGN = 3;

    public static void lock(Lock lock, String site) {
        int a = attempt(lock, true);
        if (a == CONTENDED) {
            VigilHooks.lockBlocking(lock, site);
            try {
                lock.lock();
            } finally {
                VigilHooks.lockUnblocked(lock);
            }
        } else if (a == UNTRIED) {
            lock.lock();
        } else if (a == FOREIGN) {
            int before = VigilHooks.lockHolds(lock);
            lock.lock();
            if (took(lock, before)) {
                VigilHooks.lockAcquired(lock, site, 0);
            }
            return;
        }
        VigilHooks.lockAcquired(lock, site, 0);
    }

    public static void lockInterruptibly(Lock lock, String site) throws InterruptedException {
        // An interrupted thread must get its InterruptedException even when the lock is free.
        int a = attempt(lock, !Thread.currentThread().isInterrupted());
        if (a == CONTENDED) {
            VigilHooks.lockBlocking(lock, site);
            try {
                lock.lockInterruptibly();
            } finally {
                VigilHooks.lockUnblocked(lock);
            }
        } else if (a == UNTRIED) {
            lock.lockInterruptibly();
        } else if (a == FOREIGN) {
            int before = VigilHooks.lockHolds(lock);
            lock.lockInterruptibly();
            if (took(lock, before)) {
                VigilHooks.lockAcquired(lock, site, 0);
            }
            return;
        }
        VigilHooks.lockAcquired(lock, site, 0);
    }

    /**
     * Whether {@code lock}'s methods are the JDK's own: an instance of {@code ReentrantLock} or of
     * a read or write view, of the JDK class itself, which no other agent has retransformed.
     * Only then may a stand-in make a call the application did not make (a try, a look) or take
     * the call's word that the lock was taken. Anything else is {@link #FOREIGN}: an application
     * subclass's methods are application code (issue 15); a mock's calls (Mockito's inline mock
     * maker retransforms {@code ReentrantLock} itself, see {@link InterceptedClasses}) are
     * counted and verified by the test, and take nothing.
     */
    private static boolean jdkOwn(Class<?> c) {
        return (c == ReentrantLock.class || c == ReentrantReadWriteLock.ReadLock.class
                || c == ReentrantReadWriteLock.WriteLock.class) && !InterceptedClasses.has(c);
    }

    /**
     * After the program's own call on a {@link #FOREIGN} lock: whether it took a hold, by the
     * JDK synchronizer inside the lock ({@code before}: the holds before the call). A mock has
     * none (its fields are null) and takes nothing; a spy under {@code verify} returns without
     * taking the lock. A lock without a JDK synchronizer (a custom {@code Lock}) is believed.
     */
    private static boolean took(Lock lock, int before) {
        return before == LockListener.HOLDS_UNKNOWN || VigilHooks.lockHolds(lock) > before;
    }

    /**
     * Takes {@code lock} at once if it can, the way {@code lock()} would ({@link #TAKEN}), or says
     * that another thread holds it ({@link #CONTENDED}: the caller looks for a deadlock, then
     * blocks) or that it was not tried ({@link #UNTRIED}), or that its methods are not the JDK's
     * ({@link #FOREIGN}, see {@link #jdkOwn}: nothing is tried or looked at). Nothing extra on
     * the uncontended path: a non-fair {@code ReentrantLock}'s {@code lock()} starts with the same
     * attempt as {@code tryLock()}. A fair lock is not tried (tryLock would barge past its
     * queue): it is only looked at, racily, which is enough to look for a deadlock before
     * blocking; so are the read and write views of a {@code ReentrantReadWriteLock}.
     * {@code mayTry} false: a JDK lock is {@link #UNTRIED}.
     */
    private static int attempt(Lock lock, boolean mayTry) {
        Class<?> c = lock.getClass();
        if (!jdkOwn(c)) {
            return FOREIGN;
        }
        if (!mayTry) {
            return UNTRIED;
        }
        if (c == ReentrantLock.class) {
            ReentrantLock r = (ReentrantLock) lock;
            if (!r.isFair()) {
                return r.tryLock() ? TAKEN : CONTENDED;
            }
            if (r.isLocked() && !r.isHeldByCurrentThread()) {
                return CONTENDED;
            }
            return UNTRIED;
        }
        // A read or write view, not tried (it cannot tell whether its lock is fair): the tracker
        // looks at the lock's state, racily, which is enough to look for a deadlock first.
        return VigilHooks.lockLooksTaken(lock) ? CONTENDED : UNTRIED;
    }

    public static boolean tryLock(Lock lock, String site) {
        if (jdkOwn(lock.getClass())) {
            boolean taken = lock.tryLock();
            if (taken) {
                VigilHooks.lockAcquired(lock, site, LockListener.TRY);
            }
            return taken;
        }
        int before = VigilHooks.lockHolds(lock);
        boolean taken = lock.tryLock();
        if (taken && took(lock, before)) {
            VigilHooks.lockAcquired(lock, site, LockListener.TRY);
        }
        return taken;
    }

    /** A timed tryLock gives up after the timeout: like tryLock, it cannot deadlock for ever. */
    public static boolean tryLock(Lock lock, long time, TimeUnit unit, String site) throws InterruptedException {
        int before = jdkOwn(lock.getClass()) ? LockListener.HOLDS_UNKNOWN : VigilHooks.lockHolds(lock);
        boolean taken = lock.tryLock(time, unit);
        if (taken && took(lock, before)) {
            VigilHooks.lockAcquired(lock, site, LockListener.TRY);
        }
        return taken;
    }

    public static void unlock(Lock lock, String site) {
        if (jdkOwn(lock.getClass())) {
            VigilHooks.lockReleasing(lock);
            lock.unlock();
            return;
        }
        int before = VigilHooks.lockHolds(lock);
        if (before == LockListener.HOLDS_UNKNOWN) {
            VigilHooks.lockReleasing(lock);
            lock.unlock();
            return;
        }
        // Recorded once the call really released a hold: a mock's unlock releases nothing, nor a
        // spy's under verify (the thread may really hold the lock then).
        lock.unlock();
        if (VigilHooks.lockHolds(lock) < before) {
            VigilHooks.lockReleasing(lock);
        }
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

    // ---------------------------------------------------------------- Object.wait, notify

    /** Followed by the stuck-wait watch too: an untimed wait as a possible stuck wait, a timed one for deadlocks through it. */
    public static void wait(Object monitor, String site) throws InterruptedException {
        VigilHooks.waitStarting(monitor);
        Object stuck = SyncHooks.waitStarting(monitor, SyncListener.MONITOR, site); // stuck-wait watch
        try {
            monitor.wait();
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(monitor, site);
        }
    }

    public static void wait(Object monitor, long millis, String site) throws InterruptedException {
        VigilHooks.waitStarting(monitor);
        Object stuck = SyncHooks.waitStarting(monitor, millis == 0 ? SyncListener.MONITOR : SyncListener.MONITOR_TIMED, site);
        try {
            monitor.wait(millis);
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(monitor, site);
        }
    }

    public static void wait(Object monitor, long millis, int nanos, String site) throws InterruptedException {
        VigilHooks.waitStarting(monitor);
        Object stuck = SyncHooks.waitStarting(monitor,
                millis == 0 && nanos == 0 ? SyncListener.MONITOR : SyncListener.MONITOR_TIMED, site);
        try {
            monitor.wait(millis, nanos);
        } finally {
            SyncHooks.waitEnded(stuck);
            VigilHooks.waitEnded(monitor, site);
        }
    }

    /** Tells the stuck-wait watch who notifies a monitor it follows; after the call, which throws if the monitor is not held. */
    public static void notify(Object monitor, String site) {
        monitor.notify();
        SyncHooks.notified(monitor, site);
    }

    public static void notifyAll(Object monitor, String site) {
        monitor.notifyAll();
        SyncHooks.notified(monitor, site);
    }
}
