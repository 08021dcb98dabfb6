package dev.vigil.examples.executors;

import java.util.Timer;
import java.util.TimerTask;

/**
 * BAD: the other form of Go's {@code time.After} in a loop: a new {@code java.util.Timer} for every
 * request's timeout. Each {@code Timer} starts its own thread, which lives until the timer is
 * cancelled; nobody cancels these. Vigil reports it as a {@code thread-leak} ({@code growing}) at
 * the line that creates the timers. The fix: one shared {@code ScheduledExecutorService} (with
 * {@code setRemoveOnCancelPolicy(true)}), as in {@link Heartbeat}, or {@code CompletableFuture.orTimeout}.
 */
public final class TimerPerCall {

    private TimerPerCall() {
    }

    static String handle(int request) {
        Timer timer = new Timer("timeout-" + request, true); // vigil:expect thread-leak
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
                System.out.println("request " + request + " timed out");
            }
        }, 30_000);
        return "ok " + request;
    }

    public static void main(String[] args) {
        int handled = 0;
        for (int i = 0; i < 100; i++) {
            if (handle(i).startsWith("ok")) {
                handled++;
            }
        }
        System.out.println("handled " + handled + " requests");
    }
}
