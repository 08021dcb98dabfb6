package dev.vigil.examples.executors;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * BAD: a request handler hands work to a background pool and returns without owning it.
 *
 * <p>Each request submits an audit write and forgets it. At the end the pool is shut down but
 * nobody waits for it, and its threads are daemons: the JVM exits with audit writes still queued
 * and running, and they are lost without a trace. In Go terms: {@code go audit(req)} with no
 * WaitGroup. Vigil reports one {@code task-leak} at the submit line. The fix is {@link ScopedWork}.
 */
public final class FireAndForget {

    private FireAndForget() {
    }

    private static final ExecutorService AUDIT = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audit-writer");
        t.setDaemon(true);
        return t;
    });

    static String handle(String request) {
        AUDIT.submit(() -> writeAudit(request)); // vigil:expect task-leak
        return "ok " + request;
    }

    private static void writeAudit(String request) {
        try {
            TimeUnit.MILLISECONDS.sleep(200); // a slow audit store
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        for (int i = 0; i < 5; i++) {
            handle("req-" + i);
        }
        AUDIT.shutdown(); // no awaitTermination: queued writes die with the JVM
        System.out.println("handled 5 requests");
    }
}
