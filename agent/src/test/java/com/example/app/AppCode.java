package com.example.app;

import dev.vigil.bootstrap.ThreadListener;

/**
 * Stands for application code in unit tests: classes under {@code dev.vigil.agent} never count as
 * application frames, so start sites must come from here.
 */
public final class AppCode {

    private AppCode() {
    }

    /** Tells the listener and starts the thread, as instrumented {@code Thread.start()} would. */
    public static Thread start(ThreadListener listener, Thread t) {
        listener.starting(Thread.currentThread(), t);
        t.start();
        return t;
    }

    /** Tells the listener only. */
    public static void announce(ThreadListener listener, Thread t) {
        listener.starting(Thread.currentThread(), t);
    }

    /** A failure thrown from application code. */
    public static RuntimeException failure(String message) {
        return new IllegalStateException(message);
    }

    /** What a task's sleep throws when its thread is interrupted, thrown from application code. */
    public static InterruptedException interrupted() {
        return new InterruptedException("sleep interrupted");
    }

    /** Creates an executor and tells the listener, as the instrumented constructor would. */
    public static java.util.concurrent.ThreadPoolExecutor newPool(dev.vigil.bootstrap.ExecutorListener l) {
        java.util.concurrent.ThreadPoolExecutor p = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
        l.executorCreated(p);
        return p;
    }

    /** Submits a task, as the instrumented execute() would report it. */
    public static void submit(dev.vigil.bootstrap.ExecutorListener l, Object pool, Object task) {
        l.taskSubmitted(pool, task);
    }

    /** Waits on {@code f}, telling the listener as the instrumented {@code join()} would. */
    public static Object waitOn(dev.vigil.bootstrap.ExecutorListener l, java.util.concurrent.CompletableFuture<?> f) {
        Object token = l.futureWaitStarted(f);
        try {
            return f.join();
        } finally {
            l.futureWaitEnded(token);
        }
    }

    /**
     * Waits on {@code outer}, and while waiting on {@code inner} too (a fork/join worker that helps
     * run a task that joins), telling the listener as the instrumented waits would.
     */
    public static void waitNested(dev.vigil.bootstrap.ExecutorListener l, java.util.concurrent.CompletableFuture<?> outer,
                                  java.util.concurrent.CompletableFuture<?> inner) {
        Object outerToken = l.futureWaitStarted(outer);
        try {
            Object innerToken = l.futureWaitStarted(inner);
            try {
                inner.join();
            } finally {
                l.futureWaitEnded(innerToken);
            }
            outer.join();
        } finally {
            l.futureWaitEnded(outerToken);
        }
    }

    /** The line {@link #createFuture} reports as the creation site. */
    public static final int CREATED_LINE = 4242;

    /** {@code new CompletableFuture<>()}, reported as the instrumented call site would. */
    public static java.util.concurrent.CompletableFuture<String> createFuture(dev.vigil.bootstrap.ExecutorListener l) {
        java.util.concurrent.CompletableFuture<String> f = new java.util.concurrent.CompletableFuture<>();
        l.futureCreated(f, "A|com.example.app.AppCode|createFuture|" + CREATED_LINE);
        return f;
    }

    /** Creates a scheduler and tells the listener, as the instrumented constructor would. */
    public static java.util.concurrent.ScheduledThreadPoolExecutor newScheduler(dev.vigil.bootstrap.ExecutorListener l) {
        java.util.concurrent.ScheduledThreadPoolExecutor s = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        l.executorCreated(s);
        return s;
    }

    /** A timeout scheduled and cancelled at once, reported as the instrumented delayedExecute would. */
    public static void scheduleAndCancel(dev.vigil.bootstrap.ExecutorListener l,
                                         java.util.concurrent.ScheduledThreadPoolExecutor s) {
        java.util.concurrent.ScheduledFuture<?> f = s.schedule(() -> { }, 1, java.util.concurrent.TimeUnit.HOURS);
        l.taskSubmitted(s, f);
        f.cancel(false);
    }
}
