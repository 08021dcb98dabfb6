package dev.vigil.examples.executors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * GOOD: the same handler as {@link FireAndForget}, with its background work owned: every future
 * is kept and awaited, and the pool is shut down and awaited before the program ends, as a Go
 * handler waits on its WaitGroup. Vigil reports nothing.
 */
public final class ScopedWork {

    private ScopedWork() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        ExecutorService audit = Executors.newSingleThreadExecutor();
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String request = "req-" + i;
                writes.add(audit.submit(() -> writeAudit(request)));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            audit.shutdown();
            audit.awaitTermination(10, TimeUnit.SECONDS);
        }
        System.out.println("handled 5 requests");
    }

    private static void writeAudit(String request) {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
