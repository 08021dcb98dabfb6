package dev.vigil.examples.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * BAD: a thread takes a lock and dies before unlocking it.
 *
 * <p>The refresher thread locks the cache, and the reload throws before {@code unlock()}, which is
 * not in a {@code finally} block. The thread ends by the exception with the lock still held; only
 * its owner could unlock it, so the lock stays taken for ever and every reader blocks. Vigil
 * reports a {@code lock-held-by-dead-thread} at the {@code lock()} line as the thread ends. The
 * fix is {@link UnlockInFinally}.
 */
public final class AbandonedLock {

    private AbandonedLock() {
    }

    static final ReentrantLock CACHE = new ReentrantLock();

    static void refresh() {
        CACHE.lock(); // vigil:expect lock-held-by-dead-thread
        reload(); // throws: the unlock below never runs
        CACHE.unlock();
    }

    static void reload() {
        throw new IllegalStateException("config server unreachable");
    }

    public static void main(String[] args) throws InterruptedException {
        Thread refresher = new Thread(AbandonedLock::refresh, "cache-refresher");
        refresher.setUncaughtExceptionHandler((t, e) -> System.out.println(t.getName() + " died: " + e.getMessage()));
        refresher.start();
        refresher.join();
        if (CACHE.tryLock(200, TimeUnit.MILLISECONDS)) {
            CACHE.unlock();
            System.out.println("cache readable");
        } else {
            System.out.println("cache locked for ever");
        }
    }
}
