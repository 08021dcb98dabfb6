package dev.vigil.examples.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * BAD: a thread takes a lock and dies before unlocking it.
 *
 * <p>The refresher thread locks the cache, and the reload throws before {@code unlock()}, which is
 * not in a {@code finally} block. The thread ends by the exception with the lock still held; only
 * its owner could unlock it, so the lock stays taken for ever and every reader blocks. Vigil
 * reports a {@code lock-held-by-dead-thread} at the {@code lock()} line as the thread ends. The
 * fix is {@link UnlockInFinally}. With {@code --write}, the same with the write lock of a
 * {@code ReentrantReadWriteLock}: every reader blocks.
 */
public final class AbandonedLock {

    private AbandonedLock() {
    }

    static final ReentrantLock CACHE = new ReentrantLock();
    static final ReentrantReadWriteLock SETTINGS = new ReentrantReadWriteLock();

    static void refresh() {
        CACHE.lock(); // vigil:expect lock-held-by-dead-thread
        reload(); // throws: the unlock below never runs
        CACHE.unlock();
    }

    static void refreshSettings() {
        SETTINGS.writeLock().lock(); // vigil:expect lock-held-by-dead-thread
        reload();
        SETTINGS.writeLock().unlock();
    }

    static void reload() {
        throw new IllegalStateException("config server unreachable");
    }

    public static void main(String[] args) throws InterruptedException {
        boolean write = args.length > 0 && args[0].equals("--write");
        Thread refresher = new Thread(write ? AbandonedLock::refreshSettings : AbandonedLock::refresh, "cache-refresher");
        refresher.setUncaughtExceptionHandler((t, e) -> System.out.println(t.getName() + " died: " + e.getMessage()));
        refresher.start();
        refresher.join();
        Lock probe = write ? SETTINGS.readLock() : CACHE;
        if (probe.tryLock(200, TimeUnit.MILLISECONDS)) {
            probe.unlock();
            System.out.println("cache readable");
        } else {
            System.out.println("cache locked for ever");
        }
    }
}
