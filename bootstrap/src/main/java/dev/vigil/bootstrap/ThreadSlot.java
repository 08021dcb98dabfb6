package dev.vigil.bootstrap;

/**
 * Per-thread state shared by all hooks: the re-entry depth and one field the lock tracker owns.
 * One instance per thread, reached through one thread-local lookup.
 */
public final class ThreadSlot {

    /** Non-zero while the thread is inside the agent; permanently non-zero on agent threads. */
    int depth;

    /** Owned by the lock tracker (its held-lock stack for this thread); JDK types only here. */
    public Object locks;

    /** Owned by the synchronizer tracker (its cache of the last semaphore this thread used). */
    public Object permits;

    /**
     * The site constant of the application's executor call this thread is in ({@code submit},
     * {@code execute}, {@code schedule}, {@code invokeAll}, {@code supplyAsync} ...), set by
     * {@link ExecutorHooks#submitSite} just before the call and cleared after it: the task ledger
     * then knows the submit site without walking the stack.
     */
    public String submitSite;

    /** Owned by the executor ledger (this thread's reusable record of its waits on futures). */
    public Object futures;

    ThreadSlot() {
    }
}
