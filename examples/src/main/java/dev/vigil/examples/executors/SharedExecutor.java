package dev.vigil.examples.executors;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * GOOD: one pool, created once, shared by every call, and shut down when its owner stops.
 * Vigil reports nothing.
 */
public final class SharedExecutor {

    private SharedExecutor() {
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    int price(String item) throws InterruptedException, ExecutionException {
        return pool.submit(() -> item.length() * 10).get();
    }

    void stop() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        SharedExecutor prices = new SharedExecutor();
        int total = 0;
        try {
            for (int i = 0; i < 20; i++) {
                total += prices.price("item-" + i);
            }
        } finally {
            prices.stop();
        }
        System.out.println("total " + total);
    }
}
