package dev.vigil.bootstrap;

/**
 * Receives executor, task and future events from {@link ExecutorHooks}. Implemented by the agent's
 * executor ledger. Objects are passed as {@code Object}: the listener holds them weakly.
 */
public interface ExecutorListener {

    void executorCreated(Object executor);

    void executorShutdown(Object executor);

    void taskSubmitted(Object executor, Object task);

    void taskRejected(Object executor, Object task);

    void taskStarted(Object executor, Object task);

    /**
     * {@code shutdownNow()} is called on {@code executor}, before it interrupts the running tasks:
     * a shutdown, and the interrupts that follow are cancellations.
     */
    default void executorStoppedNow(Object executor) {
        executorShutdown(executor);
    }

    /**
     * {@code shutdownNow()} took these queued tasks out of {@code executor} and handed them to its
     * caller: they are the caller's now, not work the executor lost.
     */
    default void tasksDrained(Object executor, java.util.List<?> tasks) {
        for (int i = 0; i < tasks.size(); i++) {
            taskRejected(executor, tasks.get(i));
        }
    }

    void taskFinished(Object executor, Object task, Throwable thrown);

    /** A worker thread of {@code executor} starts its run loop (called on that thread). */
    default void workerStarted(Object executor) {
    }

    /** A worker thread of {@code executor} leaves its run loop (called on that thread). */
    default void workerEnded(Object executor) {
    }

    /** A future failed; {@code waitedOn} when a reader or a dependent was already waiting for it. */
    void futureFailed(Object future, Throwable failure, boolean waitedOn);

    /** Someone read a future's outcome or attached a dependent to it. */
    void futureObserved(Object future);

    /**
     * A thread is about to block in {@code get()}/{@code join()} on a future that is not done.
     * Returns a token that {@link #futureWaitEnded} receives when the wait is over (null: not followed).
     */
    default Object futureWaitStarted(Object future) {
        return null;
    }

    /**
     * {@link #futureWaitStarted(Object)} with the calling thread's slot, already looked up (and
     * guarded) by the hook: the listener keeps its per-thread state there.
     */
    default Object futureWaitStarted(ThreadSlot slot, Object future) {
        return futureWaitStarted(future);
    }

    /** Ends the wait of {@code token}; called without the re-entry guard, so it must not call instrumented code. */
    default void futureWaitEnded(Object token) {
    }

    /** Application code created {@code future} (a {@code CompletableFuture}) at {@code site} ({@code A|class|method|line}). */
    default void futureCreated(Object future, String site) {
    }

    /** A task entered a {@code ForkJoinPool}; the listener keeps it only when it came from outside the pool. */
    default void forkJoinSubmitted(Object pool, Object task) {
    }

    /**
     * A thread-per-task executor (JDK 21+) is about to make the thread that runs {@code task}
     * (called on the submitting thread, before the thread exists).
     */
    default void perTaskSubmitted(Object executor, Object task) {
    }

    /** That executor starts {@code thread} for the task submitted last on this thread. */
    default void perTaskThreadStarting(Object executor, Thread thread) {
    }

    /** {@code thread}'s task is over: it returned or threw, or the thread could not start. */
    default void perTaskDone(Object executor, Thread thread) {
    }
}
