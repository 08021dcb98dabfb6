package dev.vigil.examples.permits;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * GOOD: Go's bounded fan-out as written in Go. The loop takes a permit before it starts each
 * worker ({@code sem <- struct{}{}}), and the worker gives it back when it is done
 * ({@code defer func() { <-sem }()}): the permit is acquired by one thread and released by another.
 * That is legal and Vigil does not flag it; the loop itself never runs more than two workers.
 */
public final class HandOffPermits {

    private HandOffPermits() {
    }

    public static void main(String[] args) throws InterruptedException {
        Semaphore slots = new Semaphore(2);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slots.acquire();
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    Math.sqrt(n); // the work
                } finally {
                    slots.release();
                }
            }, "worker-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        System.out.println("6 jobs done, " + slots.availablePermits() + " slots free");
    }
}
