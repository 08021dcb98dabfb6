package dev.vigil.examples.permits;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GOOD: the fix of {@link LatchMissedCountDown}. Each worker counts the latch down in a
 * {@code finally} block (Go: {@code defer wg.Done()}), and reports its failure instead of
 * swallowing it: {@code main} always wakes up and knows what failed. Vigil reports nothing.
 */
public final class LatchCountDownInFinally {

    private LatchCountDownInFinally() {
    }

    public static void main(String[] args) throws InterruptedException {
        String[] caches = {"catalog", "pricing", "stock"};
        CountDownLatch warmed = new CountDownLatch(caches.length);
        AtomicInteger failures = new AtomicInteger();
        for (String cache : caches) {
            new Thread(() -> {
                try {
                    LatchMissedCountDown.warm(cache);
                } catch (IllegalStateException e) {
                    failures.incrementAndGet();
                } finally {
                    warmed.countDown();
                }
            }, "warm-" + cache).start();
        }
        warmed.await();
        System.out.println("caches warmed, " + failures.get() + " failed");
    }
}
