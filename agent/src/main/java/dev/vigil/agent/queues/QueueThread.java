package dev.vigil.agent.queues;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * One application thread's queue state, reached through a thread-local: the last queue it put to
 * and took from (the fast path compares one reference), the queues it takes part in, and the
 * blocking call it is in now (read by the watch).
 */
final class QueueThread {

    static final int MAX_PARTS = 64;

    final WeakReference<Thread> thread;
    final long threadId;
    Party lastPut;
    Party lastTake;
    /** Written by the owning thread under the ledger's guard, read by the thread-end callback on the same thread. */
    final List<Party> parts = new ArrayList<>(2);

    // The blocking call in progress: fields first, then the volatile waitParty publishes them.
    String waitSite;
    long waitStartNanos;
    long waitStartMillis;
    volatile long waitSeq;
    volatile Party waitParty;

    // Watch-thread state.
    long suspectSeq = -1;
    long stuckSeq = -1;
    /** The consumer call seen stuck once ({@code QueueWatch.check} reports it at the second look). */
    long stuckSuspectSeq = -1;
    /** The blocking call last judged a pool worker waiting for its next task, and the answer. */
    long idleSeq = -1;
    boolean idle;

    QueueThread(Thread t) {
        this.thread = new WeakReference<>(t);
        this.threadId = ThreadFacts.id(t);
    }
}
