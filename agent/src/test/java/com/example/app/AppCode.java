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
}
