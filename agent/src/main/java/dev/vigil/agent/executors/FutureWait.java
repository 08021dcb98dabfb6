package dev.vigil.agent.executors;

import java.util.List;
import dev.vigil.report.model.Frame;

/**
 * A wait on a future that Vigil's watch saw still going on at one of its passes: a snapshot of one
 * {@link ThreadWaits.Level} for one wait id. Waits that start and end between two passes never get
 * one. The future is held only while the wait lasts (the waiting thread's own stack holds it anyway).
 */
final class FutureWait {

    final Thread thread;
    final long threadId;
    final String threadName;
    final boolean completable;
    /** A {@code ForkJoinTask} (a pool's {@code submit} result, a {@code RecursiveTask}...). */
    final boolean forkJoin;
    final String futureType;
    final int futureHash;
    /** The level and wait id this is a snapshot of. */
    final ThreadWaits.Level level;
    final long waitId;
    /**
     * When the watch first saw the wait (it began at most one watch period earlier), moved forward
     * while the waiting thread makes progress (nested waits ending inside this one) until examined.
     */
    volatile long startMillis;
    /** The progress count of the level when {@link #startMillis} was set. */
    int progressSeen;
    volatile Object future;
    volatile long endMillis;
    /** Whether the future was done when the wait ended (false: timed out or interrupted). */
    volatile boolean doneAtEnd;
    /** Whether it was done by cancellation (a pool's {@code shutdownNow}, {@code cancel}). */
    volatile boolean cancelledAtEnd;
    /** Checked by the watch once the wait passed the threshold (stack taken, finding or ignored). */
    volatile boolean examined;
    /** The waiting thread's stack from the wait's application call site down; null until examined. */
    volatile List<Frame> frames;
    /** The {@code A|class|method|line} site where the future was created, when known. */
    volatile String createdSite;

    FutureWait(ThreadWaits.Level level, long waitId, Object future, long startMillis) {
        this.level = level;
        this.waitId = waitId;
        this.thread = level.owner.thread;
        this.threadId = level.owner.threadId;
        this.threadName = dev.vigil.agent.host.ThreadFacts.name(thread);
        this.future = future;
        this.completable = future instanceof java.util.concurrent.CompletableFuture<?>;
        this.forkJoin = future instanceof java.util.concurrent.ForkJoinTask<?>;
        this.futureType = future.getClass().getName();
        this.futureHash = System.identityHashCode(future);
        this.startMillis = startMillis;
        this.progressSeen = level.progress;
    }

    boolean ended() {
        return endMillis != 0;
    }

    /** Records the end once (the waiting thread and the watch may both see it). */
    synchronized void end(long nowMillis) {
        if (endMillis != 0) {
            return;
        }
        Object f = future;
        doneAtEnd = TaskState.done(f);
        cancelledAtEnd = doneAtEnd && TaskState.cancelled(f);
        endMillis = Math.max(nowMillis, startMillis + 1);
        future = null;
    }

    String describe() {
        return futureType.substring(futureType.lastIndexOf('.') + 1) + "@" + Integer.toHexString(futureHash);
    }
}
