package dev.vigil.examples.locks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * BAD: a deadlock the JVM itself cannot see. The reporter reads the prices under the read lock
 * and then takes the cache's monitor; the updater holds the cache's monitor and asks for the
 * write lock, which waits for the reader. Readers are not owners, so
 * {@code ThreadMXBean.findDeadlockedThreads} (and jstack) find nothing; Vigil's hook reports it
 * as the second thread is about to block.
 */
public final class ReadWriteDeadlock {

    private final ReentrantReadWriteLock prices = new ReentrantReadWriteLock();
    private final Map<String, Integer> cache = new HashMap<>();
    private final CyclicBarrier bothHoldOne = new CyclicBarrier(2);

    void report() {
        prices.readLock().lock(); // vigil:expect deadlock
        try {
            bothHoldOne.await();
            synchronized (cache) { // vigil:expect deadlock
                System.out.println("report of " + cache.size() + " prices");
            }
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        } finally {
            prices.readLock().unlock();
        }
    }

    void update() {
        synchronized (cache) { // vigil:expect deadlock
            try {
                bothHoldOne.await();
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
            prices.writeLock().lock(); // vigil:expect deadlock
            try {
                cache.put("EUR", 100);
            } finally {
                prices.writeLock().unlock();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ReadWriteDeadlock shop = new ReadWriteDeadlock();
        Thread reporter = new Thread(shop::report, "reporter");
        Thread updater = new Thread(shop::update, "updater");
        reporter.start();
        updater.start();
        System.out.println("started");
        reporter.join();
        updater.join();
        System.out.println("never printed");
    }
}
