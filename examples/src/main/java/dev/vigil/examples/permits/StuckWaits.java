package dev.vigil.examples.permits;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * BAD, four times over: what {@code stuck-wait} sees. One thread waits at a barrier whose second
 * party never comes, one at a phaser whose second party never arrives, one on a condition nobody
 * signals, one parked with nobody to unpark it. {@code main} then waits two seconds for a latch
 * nobody counts down and gives up (a timed wait: it ends). The stuck threads are daemons, so the
 * program exits. Run with {@code stuckWait=300ms}: five {@code stuck-wait} findings, the last one
 * with {@code ended: true}.
 */
public final class StuckWaits {

    private StuckWaits() {
    }

    static void barrier(CyclicBarrier b) throws Exception {
        b.await(); // vigil:expect stuck-wait
    }

    static void phaser(Phaser p) {
        p.arriveAndAwaitAdvance(); // vigil:expect stuck-wait
    }

    static void condition(ReentrantLock lock, Condition ready) throws InterruptedException {
        lock.lock();
        try {
            ready.await(); // vigil:expect stuck-wait
        } finally {
            lock.unlock();
        }
    }

    static void park(Object blocker) {
        while (true) {
            LockSupport.park(blocker); // vigil:expect stuck-wait
        }
    }

    interface Body {
        void run() throws Exception;
    }

    static Thread stuck(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static void main(String[] args) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        Phaser phaser = new Phaser(2);
        ReentrantLock lock = new ReentrantLock();
        Condition ready = lock.newCondition();
        Object blocker = new Object();
        List<Thread> threads = new ArrayList<>();
        threads.add(stuck("at-barrier", () -> barrier(barrier)));
        threads.add(stuck("at-phaser", () -> phaser(phaser)));
        threads.add(stuck("on-condition", () -> condition(lock, ready)));
        threads.add(stuck("parked", () -> park(blocker)));
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        }
        CountDownLatch reply = new CountDownLatch(1);
        boolean answered = reply.await(2, TimeUnit.SECONDS); // vigil:expect stuck-wait
        System.out.println(threads.size() + " threads stuck, reply " + (answered ? "received" : "timed out"));
    }
}
