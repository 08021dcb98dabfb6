package dev.vigil.examples.futures;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GOOD: the fix for {@link LostCallback}. The bridge completes the future on every path: the value
 * on success, {@code completeExceptionally} on failure. The caller gets the error at once, with
 * its cause, instead of waiting for a completion that never comes. Vigil reports nothing.
 */
public final class CompletedOnEveryPath {

    private CompletedOnEveryPath() {
    }

    private static final ExecutorService IO = Executors.newSingleThreadExecutor();

    static CompletableFuture<Integer> fetchPrice(String sku) {
        CompletableFuture<Integer> price = new CompletableFuture<>();
        IO.execute(() -> {
            try {
                price.complete(lookup(sku));
            } catch (RuntimeException e) {
                price.completeExceptionally(e); // the error path completes it too
            }
        });
        return price;
    }

    private static int lookup(String sku) {
        throw new IllegalStateException("no price for " + sku);
    }

    public static void main(String[] args) throws InterruptedException, TimeoutException {
        try {
            System.out.println("price " + fetchPrice("sku-42").get(3, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            System.out.println("price lookup failed: " + e.getCause().getMessage());
        } finally {
            IO.shutdown();
        }
    }
}
