package dev.vigil.examples.futures;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * GOOD: Go's errgroup in Java. Every future is kept; {@code allOf(...).join()} waits for them
 * together, the first failure propagates to the caller, and the remaining work is cancelled.
 * The failure is handled, not lost. Vigil reports nothing.
 */
public final class ErrGroup {

    private ErrGroup() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<CompletableFuture<String>> parts = List.of(
                CompletableFuture.supplyAsync(() -> "prices", pool),
                CompletableFuture.supplyAsync(ErrGroup::inventory, pool),
                CompletableFuture.supplyAsync(() -> "reviews", pool));
        try {
            CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).join();
            System.out.println("page built");
        } catch (CompletionException e) {
            parts.forEach(p -> p.cancel(true));
            System.out.println("page failed: " + e.getCause().getMessage());
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static String inventory() {
        throw new IllegalStateException("inventory service returned 503");
    }
}
