package dev.vigil.agent.executors;

import java.util.List;
import dev.vigil.report.model.Frame;

/**
 * One thread blocked in {@code get()}/{@code join()} on a future that was not done when the wait
 * began: the token the wait hooks pass from its start to its end. The future is held only while
 * the wait lasts (the waiting thread's own stack holds it anyway).
 */
final class FutureWait {

    final Thread thread;
    final long threadId;
    final String threadName;
    final boolean completable;
    final String futureType;
    final int futureHash;
    final long startMillis;
    volatile Object future;
    volatile long endMillis;
    /** Whether the future was done when the wait ended (false: timed out or interrupted). */
    volatile boolean doneAtEnd;
    /** Checked by the watch once the wait passed the threshold (stack taken, finding or ignored). */
    volatile boolean examined;
    /** The waiting thread's stack from the wait's application call site down; null until examined. */
    volatile List<Frame> frames;

    FutureWait(Thread thread, Object future, long startMillis) {
        this.thread = thread;
        this.threadId = thread.getId();
        this.threadName = thread.getName();
        this.future = future;
        this.completable = future instanceof java.util.concurrent.CompletableFuture<?>;
        this.futureType = future.getClass().getName();
        this.futureHash = System.identityHashCode(future);
        this.startMillis = startMillis;
    }

    boolean ended() {
        return endMillis != 0;
    }

    String describe() {
        return futureType.substring(futureType.lastIndexOf('.') + 1) + "@" + Integer.toHexString(futureHash);
    }
}
