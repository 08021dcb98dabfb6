package dev.vigil.examples.executors;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * BAD: a new thread pool for every call, never shut down.
 *
 * <p>Each call leaves two idle, non-daemon worker threads behind. A service leaks threads with
 * every request; this program never exits, because the idle workers wait for work forever.
 * Vigil reports an {@code executor-leak} at the creation line, with how many executors it made
 * there, once {@code main} has returned and the JVM cannot exit. The fix is {@link SharedExecutor}.
 */
public final class ExecutorPerCall {

    private ExecutorPerCall() {
    }

    static int price(String item) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(2); // vigil:expect executor-leak
        Future<Integer> p = pool.submit(() -> item.length() * 10);
        return p.get();
    }

    public static void main(String[] args) throws Exception {
        int total = 0;
        for (int i = 0; i < 20; i++) {
            total += price("item-" + i);
        }
        System.out.println("total " + total);
    }
}
