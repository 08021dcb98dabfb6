package dev.vigil.agent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Application-shaped code for the self-test: never run as it is, but from its class file as the
 * instrumentation rewrites it ({@code CallSiteRewriter}), in a class loader of its own. Creates a
 * semaphore, a latch and a queue, uses each once, and takes from the queue through a method
 * reference; returns them for the self-test to check and then forget.
 */
public final class SelfTestProbe implements Supplier<Object[]> {

    @Override
    public Object[] get() {
        Semaphore permits = new Semaphore(1);
        permits.acquireUninterruptibly();
        permits.release();
        CountDownLatch latch = new CountDownLatch(1);
        latch.countDown();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
        queue.offer("probe");
        Supplier<Object> take = queue::poll;
        take.get();
        return new Object[] {permits, latch, queue};
    }
}
