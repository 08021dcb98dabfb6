package dev.vigil.examples.permits;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * BAD: bounded fan-out whose permit is not given back on the error path.
 *
 * <p>Eight page fetches run in parallel, at most three at a time (Go: a buffered channel used as a
 * semaphore). A fetch from the inventory service fails and returns early, skipping the release:
 * each failure lowers the limit by one for good. After three failures no permit is left and every
 * later fetch blocks for ever: the program hangs. Vigil reports a {@code permit-leak} at the
 * acquire line (the threads that took the permits have ended) and a {@code stuck-wait} there once a
 * fetch has waited {@code stuckWait} (30 s by default). The fix is {@link BoundedFanOutFinally}.
 */
public final class BoundedFanOut {

    private BoundedFanOut() {
    }

    static final Semaphore CONNECTIONS = new Semaphore(3); // vigil:expect semaphore-created

    static String fetch(String page) throws InterruptedException {
        CONNECTIONS.acquire(); // vigil:expect permit-leak vigil:expect stuck-wait
        if (page.startsWith("inventory")) {
            return "failed " + page; // early return: the permit is never released
        }
        String body = "ok " + page; // the real fetch
        CONNECTIONS.release();
        return body;
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> fetches = new ArrayList<>();
        // Four inventory pages fail while only three permits exist: whatever the order, the
        // fourth failure can never hold a permit, so some fetch always waits for ever.
        for (String page : Pages.ALL) {
            Thread t = new Thread(() -> {
                try {
                    fetch(page);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fetch-" + page);
            t.start();
            fetches.add(t);
        }
        for (Thread t : fetches) {
            t.join();
        }
        System.out.println("fetched " + Pages.ALL.size() + " pages");
    }
}
