package dev.vigil.examples.permits;

import java.util.concurrent.CountDownLatch;

/**
 * BAD: a latch that one failed worker never counts down.
 *
 * <p>Three workers warm three caches and count the latch down when done; {@code main} waits for
 * all three (Go: a {@code sync.WaitGroup} with {@code wg.Done()} at the end of the goroutine
 * instead of in a {@code defer}). The pricing cache fails to load, its worker catches the error and
 * returns before {@code countDown()}: the count never reaches zero and {@code main} waits for ever.
 * Vigil reports a {@code stuck-wait} at the {@code await()} line once it has waited
 * {@code stuckWait}: the latch's known releasers (the workers that counted down) have all ended.
 * The fix is {@link LatchCountDownInFinally}.
 */
public final class LatchMissedCountDown {

    private LatchMissedCountDown() {
    }

    public static void main(String[] args) throws InterruptedException {
        String[] caches = {"catalog", "pricing", "stock"};
        CountDownLatch warmed = new CountDownLatch(caches.length);
        for (String cache : caches) {
            new Thread(() -> {
                try {
                    warm(cache);
                    warmed.countDown(); // skipped when warm() throws
                } catch (IllegalStateException e) {
                    System.out.println("warming " + cache + " failed: " + e.getMessage());
                }
            }, "warm-" + cache).start();
        }
        warmed.await(); // vigil:expect stuck-wait
        System.out.println("all caches warm");
    }

    static void warm(String cache) {
        if (cache.equals("pricing")) {
            throw new IllegalStateException("pricing service unavailable");
        }
    }
}
