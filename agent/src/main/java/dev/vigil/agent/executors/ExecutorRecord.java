package dev.vigil.agent.executors;

import dev.vigil.agent.threads.StartSite;

/** One executor created by the application: where, when, and whether it was shut down. */
final class ExecutorRecord {

    final long id;
    final String type;
    final StartSite site;
    final long createdMillis;
    volatile long shutdownMillis;
    /**
     * When {@code shutdownNow()} was called on it, or 0: from then on its running tasks are
     * interrupted on purpose.
     */
    volatile long stoppedNowMillis;
    /** False once a scope reset happened after its creation: it can no longer be a finding. */
    volatile boolean inScope = true;
    /** Delayed tasks scheduled and not finished (a scheduler only); re-read from its queue past the mark. */
    final java.util.concurrent.atomic.AtomicInteger pendingScheduled = new java.util.concurrent.atomic.AtomicInteger();
    /** Set once, when this scheduler was first seen holding a pile of delayed tasks. */
    volatile TimerPileUp pileUp;
    /**
     * Its {@code ThreadPoolExecutor} workers now running their loop, by thread id (never keyed by
     * the thread: an application's {@code Thread.hashCode} must not run here), held weakly.
     */
    final java.util.concurrent.ConcurrentHashMap<Long, java.lang.ref.WeakReference<Thread>> workers =
            new java.util.concurrent.ConcurrentHashMap<>();

    ExecutorRecord(long id, String type, StartSite site, long createdMillis) {
        this.id = id;
        this.type = type;
        this.site = site;
        this.createdMillis = createdMillis;
    }
}
