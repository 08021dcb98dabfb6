package dev.vigil.examples.executors;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * BAD: Go's {@code time.After} in a loop, in Java. Every request schedules its own 30-second
 * timeout and cancels it when the request completes, a few microseconds later. But a cancelled
 * task stays in a {@code ScheduledThreadPoolExecutor}'s queue (removeOnCancel is false by default)
 * until its delay expires: with many requests a second, the queue holds tens of thousands of dead
 * timers and everything they reference. Vigil reports a {@code timer-pile-up} at the schedule line.
 * The fix: {@code setRemoveOnCancelPolicy(true)}, {@code CompletableFuture.orTimeout}, or one
 * periodic task as in {@link Heartbeat}.
 */
public final class TimeoutPerRequest {

    private TimeoutPerRequest() {
    }

    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor();

    static String handle(int request) {
        ScheduledFuture<?> timeout = TIMEOUTS.schedule( // vigil:expect timer-pile-up
                () -> System.out.println("request " + request + " timed out"), 30, TimeUnit.SECONDS);
        try {
            return "ok " + request;
        } finally {
            timeout.cancel(false);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int handled = 0;
        for (int i = 0; i < 5_000; i++) {
            if (handle(i).startsWith("ok")) {
                handled++;
            }
        }
        TIMEOUTS.shutdown();
        TIMEOUTS.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("handled " + handled + " requests");
    }
}
