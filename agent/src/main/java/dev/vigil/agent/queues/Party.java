package dev.vigil.agent.queues;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.ref.WeakReference;

/**
 * One thread's part in one queue: producer or consumer, where it first used the queue, how many
 * operations it made. Counted by its own thread only (plain fields: no sharing on the hot path).
 */
final class Party {

    final QueueRecord queue;
    final int role;
    final WeakReference<Thread> thread;
    final long threadId;
    final String threadName;
    final boolean daemon;
    final String firstSite;
    /** Written by the party's own thread only; read (approximately) by reports. */
    long operations;
    String lastSite;
    volatile boolean ended;
    volatile long endedMillis;

    Party(QueueRecord queue, int role, Thread t, String site) {
        this.queue = queue;
        this.role = role;
        this.thread = new WeakReference<>(t);
        this.threadId = ThreadFacts.id(t);
        this.threadName = dev.vigil.agent.host.ThreadFacts.name(t);
        this.daemon = t.isDaemon();
        this.firstSite = site;
        this.lastSite = site;
    }

    boolean alive() {
        if (ended) {
            return false;
        }
        Thread t = thread.get();
        return t != null && t.isAlive();
    }
}
