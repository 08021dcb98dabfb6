package dev.vigil.examples.futures;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * BAD: a task fails, and its {@code Future} was dropped: the exception is captured in the future
 * and nobody ever calls {@code get()}. The failure vanishes; no log, no error. Vigil reports an
 * {@code unobserved-failure} with where the exception was thrown and where the task was submitted.
 * The fix is {@link ErrGroup}.
 */
public final class DroppedFuture {

    private DroppedFuture() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.submit(DroppedFuture::syncInventory); // vigil:expect unobserved-failure-submit
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("inventory sync submitted");
    }

    private static void syncInventory() {
        throw new IllegalStateException("inventory service returned 503"); // vigil:expect unobserved-failure
    }
}
