package dev.vigil.junit.cases;

import java.util.concurrent.CountDownLatch;

/** Releases the threads the cases leaked, once the test that ran them has checked the results. */
public final class Gate {

    private static volatile CountDownLatch release = new CountDownLatch(1);

    private Gate() {
    }

    public static void reset() {
        release = new CountDownLatch(1);
    }

    public static void releaseAll() {
        release.countDown();
    }

    /**
     * Starts a daemon thread that stays alive until the test kit lets go, and returns once it runs
     * (so its stack shows where it waits).
     */
    public static Thread startParked(String name) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Runnable park = parkedUntilReleased();
        Thread t = new Thread(() -> {
            running.countDown();
            park.run();
        }, name);
        t.setDaemon(true);
        t.start();
        running.await();
        return t;
    }

    /** A body that waits for the release: a thread running it is alive until the test kit lets go. */
    public static Runnable parkedUntilReleased() {
        CountDownLatch mine = release;
        return () -> {
            try {
                mine.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
