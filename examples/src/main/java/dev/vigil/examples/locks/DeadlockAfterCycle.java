package dev.vigil.examples.locks;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * BAD: a lock-order cycle that first costs nothing, then hangs. Posting takes the ledger, then the
 * audit lock; reviewing takes them the other way round. The first round runs both on one thread,
 * one after the other: only a warning (a cycle taken by one thread). The second round runs them
 * at the same time on two threads and deadlocks. Vigil reports the deadlock as the second thread
 * is about to block, before the JVM sees it, although every edge of the cycle was already known.
 * {@code --mixed}: the audit lock is a {@code ReentrantLock}, the ledger a monitor.
 */
public final class DeadlockAfterCycle {

    private final Object ledger = new Object();
    private final Object audit = new Object();
    private final ReentrantLock auditLock = new ReentrantLock();
    private final CyclicBarrier bothHoldOne = new CyclicBarrier(2);
    private volatile boolean concurrent;

    void post() {
        synchronized (ledger) { // vigil:expect deadlock
            meet();
            synchronized (audit) { // vigil:expect deadlock
                System.out.println("posted");
            }
        }
    }

    void review() {
        synchronized (audit) { // vigil:expect deadlock
            meet();
            synchronized (ledger) { // vigil:expect deadlock
                System.out.println("reviewed");
            }
        }
    }

    void postMixed() {
        synchronized (ledger) { // vigil:expect deadlock
            meet();
            auditLock.lock(); // vigil:expect deadlock
            auditLock.unlock();
            System.out.println("posted");
        }
    }

    void reviewMixed() {
        auditLock.lock(); // vigil:expect deadlock
        try {
            meet();
            synchronized (ledger) { // vigil:expect deadlock
                System.out.println("reviewed");
            }
        } finally {
            auditLock.unlock();
        }
    }

    /** In the second round, each thread waits here until the other holds its first lock. */
    private void meet() {
        if (!concurrent) {
            return;
        }
        try {
            bothHoldOne.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        DeadlockAfterCycle books = new DeadlockAfterCycle();
        boolean mixed = args.length > 0 && args[0].equals("--mixed");
        Runnable post = mixed ? books::postMixed : books::post;
        Runnable review = mixed ? books::reviewMixed : books::review;
        post.run();
        review.run();
        System.out.println("first round done");
        books.concurrent = true;
        Thread poster = new Thread(post, "poster");
        Thread reviewer = new Thread(review, "reviewer");
        poster.start();
        reviewer.start();
        poster.join();
        reviewer.join();
        System.out.println("never printed");
    }
}
