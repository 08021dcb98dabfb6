package dev.vigil.examples.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * GOOD: the fix of {@link AbandonedLock}, with a read-write lock: the refresher takes the write
 * lock and unlocks it in a {@code finally} block, so the lock is free again even though the reload
 * fails and the thread dies. Vigil reports nothing.
 */
public final class UnlockInFinally {

    private UnlockInFinally() {
    }

    static final ReentrantReadWriteLock CACHE = new ReentrantReadWriteLock();

    static void refresh() {
        CACHE.writeLock().lock();
        try {
            AbandonedLock.reload();
        } finally {
            CACHE.writeLock().unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Thread refresher = new Thread(UnlockInFinally::refresh, "cache-refresher");
        refresher.setUncaughtExceptionHandler((t, e) -> System.out.println(t.getName() + " died: " + e.getMessage()));
        refresher.start();
        refresher.join();
        if (CACHE.readLock().tryLock(200, TimeUnit.MILLISECONDS)) {
            CACHE.readLock().unlock();
            System.out.println("cache readable");
        } else {
            System.out.println("cache locked for ever");
        }
    }
}
