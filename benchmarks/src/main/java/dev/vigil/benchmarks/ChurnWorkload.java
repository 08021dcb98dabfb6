package dev.vigil.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Churn, the way a long-running service makes it (issue 15 part 7): many short-lived objects each
 * tracked once. Prints the workload's own wall time and a checksum; run it with and without the
 * agent (scripts/churn-compare.sh, which also reads peak RSS).
 *
 * <pre>java -cp vigil-benchmarks.jar dev.vigil.benchmarks.ChurnWorkload MODE N</pre>
 *
 * <ul>
 *   <li>{@code locks}: N distinct lock pairs, each {@code synchronized (a) { synchronized (b) } }
 *       and a {@code ReentrantLock} pair the same way: every pair a new lock-order edge, dead at once.
 *   <li>{@code semaphores}: N semaphores, each acquired and released once.
 *   <li>{@code threads}: N short platform threads, 2 at a time, each taking a lock.
 *   <li>{@code virtualThreads}: N virtual threads (JDK 21+), 1,000 at a time, each taking two locks.
 * </ul>
 */
public final class ChurnWorkload {

    private ChurnWorkload() {
    }

    static final class Account {
        long balance;
    }

    public static void main(String[] args) throws Throwable {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        long start = System.nanoTime();
        long checksum = switch (mode) {
            case "locks" -> locks(n);
            case "semaphores" -> semaphores(n);
            case "threads" -> threads(n);
            case "virtualThreads" -> virtualThreads(n);
            default -> throw new IllegalArgumentException("mode: locks, semaphores, threads or virtualThreads");
        };
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(Locale.ROOT, "%s %d: %d ms (checksum %d)%n", mode, n, millis, checksum);
    }

    static long locks(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Account a = new Account();
            Account b = new Account();
            synchronized (a) {
                synchronized (b) {
                    a.balance -= i;
                    b.balance += i;
                }
            }
            ReentrantLock la = new ReentrantLock();
            ReentrantLock lb = new ReentrantLock();
            la.lock();
            try {
                lb.lock();
                try {
                    sum += b.balance;
                } finally {
                    lb.unlock();
                }
            } finally {
                la.unlock();
            }
        }
        return sum;
    }

    static long semaphores(int n) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Semaphore s = new Semaphore(2);
            s.acquire();
            sum += s.availablePermits();
            s.release();
        }
        return sum;
    }

    static long threads(int n) throws InterruptedException {
        Object lock = new Object();
        long[] sum = new long[1];
        for (int i = 0; i < n; i += 2) {
            Thread t1 = new Thread(() -> add(lock, sum));
            Thread t2 = new Thread(() -> add(lock, sum));
            t1.start();
            t2.start();
            t1.join();
            t2.join();
        }
        return sum[0];
    }

    private static void add(Object lock, long[] sum) {
        synchronized (lock) {
            sum[0]++;
        }
    }

    /** Through a method handle: this module compiles for Java 17. */
    static long virtualThreads(int n) throws Throwable {
        MethodHandle startVirtual = MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
        ReentrantLock shared = new ReentrantLock();
        long[] sum = new long[1];
        List<Thread> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object own = new Object();
            batch.add((Thread) startVirtual.invokeExact((Runnable) () -> {
                synchronized (own) {
                    shared.lock();
                    try {
                        sum[0]++;
                    } finally {
                        shared.unlock();
                    }
                }
            }));
            if (batch.size() == 1_000) {
                for (Thread t : batch) {
                    t.join();
                }
                batch.clear();
            }
        }
        for (Thread t : batch) {
            t.join();
        }
        return sum[0];
    }
}
