package dev.vigil.agent.permits;

import java.lang.ref.WeakReference;

/**
 * One blocking wait in progress: the token the hooks hand back when it ends. Registered only once
 * the non-blocking attempt failed, so its cost is paid only by calls that block anyway.
 */
final class WaitRecord {

    final Thread thread;
    /** The semaphore, latch... waited on; weak, so a reported wait keeps nothing alive. */
    final WeakReference<Object> on;
    final int onHash;
    final String onClass;
    final int primitive;
    final String site;
    final long startMillis;
    final long startNanos;
    volatile long endMillis;
    /** Set once, by the watch, when the wait crossed the threshold. */
    volatile boolean reported;
    /** When the watch last asked whether another thread joins this one (monitor waits only); the watch's thread only. */
    long joinCheckedNanos;

    WaitRecord(Thread thread, Object on, int primitive, String site, long startMillis, long startNanos) {
        this.thread = thread;
        this.on = new WeakReference<>(on);
        this.onHash = on == null ? 0 : System.identityHashCode(on);
        this.onClass = on == null ? null : on.getClass().getName();
        this.primitive = primitive;
        this.site = site;
        this.startMillis = startMillis;
        this.startNanos = startNanos;
    }
}
