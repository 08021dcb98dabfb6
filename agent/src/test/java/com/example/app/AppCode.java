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
}
