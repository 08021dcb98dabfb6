package dev.vigil.agent.permits;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.ref.WeakReference;

/**
 * Permits of one semaphore taken by one thread at one site and not yet given back. The thread is
 * held weakly: a holder never keeps a thread (or its stack) alive.
 */
final class Holder {

    final long threadId;
    final String threadName;
    final WeakReference<Thread> thread;
    final String site;
    int permits;
    long sinceMillis;

    Holder(Thread t, String site, long now) {
        this(ThreadFacts.id(t), ThreadFacts.name(t), new WeakReference<>(t), site, 0, now);
    }

    Holder(long threadId, String threadName, WeakReference<Thread> thread, String site, int permits,
                   long sinceMillis) {
        this.threadId = threadId;
        this.threadName = threadName;
        this.thread = thread;
        this.site = site;
        this.permits = permits;
        this.sinceMillis = sinceMillis;
    }

    /** True once the thread has ended (or been collected). */
    boolean ended() {
        Thread t = thread.get();
        return t == null || !t.isAlive();
    }

    Holder copy() {
        return new Holder(threadId, threadName, thread, site, permits, sinceMillis);
    }
}
