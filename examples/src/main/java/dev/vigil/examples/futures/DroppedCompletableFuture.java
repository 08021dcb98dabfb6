package dev.vigil.examples.futures;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * BAD: {@code CompletableFuture.runAsync} whose future is ignored. When the work throws, the
 * exception lands in a future that nobody joins and nothing handles. Vigil reports an
 * {@code unobserved-failure} at the line that threw. The fix is {@link ErrGroup}.
 */
public final class DroppedCompletableFuture {

    private DroppedCompletableFuture() {
    }

    public static void main(String[] args) {
        CompletableFuture.runAsync(DroppedCompletableFuture::refreshCache);
        ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS);
        System.out.println("cache refresh started");
    }

    private static void refreshCache() {
        throw new IllegalArgumentException("cache key must not be empty"); // vigil:expect unobserved-failure
    }
}
