package dev.vigil.examples.executors;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * GOOD: the fix for {@link TimeoutPerRequest}'s pattern in recurring work: one
 * {@code scheduleAtFixedRate} for the whole service, cancelled on stop, and the scheduler shut down
 * and awaited. Whatever the request rate, one timer is queued. Vigil reports nothing.
 */
public final class Heartbeat {

    private Heartbeat() {
    }

    public static void main(String[] args) throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch beats = new CountDownLatch(3);
        ScheduledFuture<?> heartbeat = scheduler.scheduleAtFixedRate(beats::countDown, 0, 10, TimeUnit.MILLISECONDS);
        int handled = 0;
        for (int i = 0; i < 5_000; i++) {
            handled++; // requests are handled without a timer each
        }
        beats.await();
        heartbeat.cancel(false); // stop
        scheduler.shutdown();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("handled " + handled + " requests");
    }
}
