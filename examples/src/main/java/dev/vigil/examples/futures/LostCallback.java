package dev.vigil.examples.futures;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * BAD: a callback API bridged to a {@code CompletableFuture}, where the error path never calls the
 * callback. The caller waits on a future that nothing will ever complete: with a plain
 * {@code get()} it hangs forever; here it gives up after 3 s and cannot tell why. In Go terms: a
 * receive on a channel that no sender will ever write to. Vigil reports
 * {@code future-never-completed} at the waiting line once the wait has lasted {@code stuckWait}.
 * The fix is {@link CompletedOnEveryPath}.
 */
public final class LostCallback {

    private LostCallback() {
    }

    private static final ExecutorService IO = Executors.newSingleThreadExecutor();

    /** A callback-style client: calls {@code onPrice} with the price, or... nothing, when the lookup fails. */
    static void fetchPrice(String sku, Consumer<Integer> onPrice) {
        IO.execute(() -> {
            try {
                onPrice.accept(lookup(sku));
            } catch (IllegalStateException e) {
                System.err.println("price lookup failed: " + e.getMessage()); // and the callback is never called
            }
        });
    }

    private static int lookup(String sku) {
        throw new IllegalStateException("no price for " + sku);
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        CompletableFuture<Integer> price = new CompletableFuture<>(); // vigil:expect future-created
        fetchPrice("sku-42", price::complete);
        try {
            System.out.println("price " + price.get(3, TimeUnit.SECONDS)); // vigil:expect future-never-completed
        } catch (TimeoutException e) {
            System.out.println("price lookup timed out");
        } finally {
            IO.shutdown();
        }
    }
}
