package dev.vigil.junit.cases;

import dev.vigil.junit.VigilCheck;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Run by the extension's tests through the JUnit Platform, never by Surefire directly. */
@VigilCheck(graceMillis = 500)
public class LeakyCases {

    @Test
    void leaksAThread() throws InterruptedException {
        Gate.startParked("leaky-poller");
    }

    @Test
    void leaksAnExecutor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "leaky-pool-worker");
            t.setDaemon(true);
            return t;
        });
        pool.submit(() -> { }).get();
        // never shut down
    }

    @Test
    void leaksAThreadStartedByItsThread() throws InterruptedException {
        Thread parent = new Thread(() -> {
            Thread child = new Thread(Gate.parkedUntilReleased(), "leaky-grandchild");
            child.setDaemon(true);
            child.start();
        }, "short-lived-parent");
        parent.start();
        parent.join();
    }

    @Test
    void stopsItsThread() throws InterruptedException {
        Thread t = new Thread(() -> { }, "well-behaved");
        t.start();
        t.join();
    }

    @Test
    void shutsItsExecutorDown() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.submit(() -> { });
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** The thread ends only once the extension's check has begun: only the grace period lets it pass. */
    @Test
    @VigilCheck(graceMillis = 30_000)
    void threadStillEndingWhenTheTestReturnsIsNotALeak() {
        Thread test = Thread.currentThread();
        ClassLoader duringTheTest = test.getContextClassLoader();
        Thread t = new Thread(() -> {
            while (test.getContextClassLoader() == duringTheTest) { // restored first thing in afterEach
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "finishing-up");
        t.start();
    }

    @Test
    void commonPoolIsTheJdksNotTheTests() throws Exception {
        java.util.concurrent.CompletableFuture.runAsync(() -> { }).get();
    }
}
