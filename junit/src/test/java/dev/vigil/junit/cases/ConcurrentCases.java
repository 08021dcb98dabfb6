package dev.vigil.junit.cases;

import dev.vigil.junit.VigilCheck;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Two tests that provably overlap (a barrier): one leaks a thread, the other is clean and
 * finishes while that thread is alive. Only the first may fail.
 */
@VigilCheck(graceMillis = 200)
@Execution(ExecutionMode.CONCURRENT)
public class ConcurrentCases {

    private static volatile CyclicBarrier together = new CyclicBarrier(2);
    private static volatile CountDownLatch leakStarted = new CountDownLatch(1);

    public static void reset() {
        together = new CyclicBarrier(2);
        leakStarted = new CountDownLatch(1);
    }

    @Test
    void leaksWhileTheOtherRuns() throws Exception {
        Thread t = new Thread(Gate.parkedUntilReleased(), "concurrent-leak");
        t.setDaemon(true);
        t.start();
        leakStarted.countDown();
        together.await(30, TimeUnit.SECONDS);
    }

    @Test
    void cleanWhileTheOtherLeaks() throws Exception {
        together.await(30, TimeUnit.SECONDS);
        if (!leakStarted.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the leaking test never ran");
        }
        Thread t = new Thread(() -> { }, "concurrent-clean");
        t.start();
        t.join();
    }
}
