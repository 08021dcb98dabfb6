package dev.vigil.examples.futures;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * BAD: thread-starvation deadlock. A task running on a one-thread pool submits a sub-task to the
 * same pool and waits for it: the sub-task is queued behind the very task that waits for it, and
 * neither can ever finish. The caller gives up after 3 s. Vigil reports two {@code stuck-wait}
 * findings ({@code details.primitive = future}): the worker waiting on the queued sub-task (error:
 * the only worker who could run it is the one waiting) and the caller waiting on the outer task
 * (warning: its worker is alive, but stuck). The fix: never block a worker on work queued in its
 * own pool; give the sub-task its own pool, or compose with {@code thenCompose}.
 */
public final class NestedSubmit {

    private NestedSubmit() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<String> report = pool.submit(() -> { // vigil:expect stuck-wait-submit
            Future<String> totals = pool.submit(() -> "totals");
            return "report with " + totals.get(); // vigil:expect stuck-wait
        });
        try {
            System.out.println(report.get(3, TimeUnit.SECONDS)); // vigil:expect stuck-wait
        } catch (TimeoutException e) {
            report.cancel(true); // interrupts the worker; the sub-task then runs
            System.out.println("report timed out");
        } finally {
            pool.shutdown();
        }
    }
}
