package dev.vigil.bootstrap;

import java.lang.ref.WeakReference;

/**
 * Per-thread state shared by all hooks: the re-entry depth and the fields the trackers own. One
 * instance per thread, found by {@link VigilHooks#currentSlot()}: first in a table indexed by
 * thread id, else through a thread-local. It refers to its thread weakly: the table may keep the
 * slot of a thread that ended until another thread takes its place, never the thread.
 */
public final class ThreadSlot extends WeakReference<Thread> {

    /** Non-zero while the thread is inside the agent; permanently non-zero on agent threads. */
    int depth;

    /** How often this thread's slot was found through the thread-local (its table entry taken). */
    int asides;

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

    /**
     * On a {@code ThreadPoolExecutor} worker: the task it runs now (set when the worker takes it,
     * cleared when it asks for the next one or ends). See {@link ExecutorHooks#workerTaskTaken}.
     */
    public Object workerTask;

    /**
     * The class of the task of the virtual thread this thread created last, and that thread's
     * identity hash ({@link VigilHooks#virtualThreadCreated}): its start, usually next, finds its
     * site by the task's class instead of walking the stack. Cleared at that start.
     */
    public Class<?> newVirtualTask;
    public int newVirtualHash;

    /**
     * Set by the executor ledger while a thread-per-task executor it tracks starts the thread of a
     * task: the thread is the executor's (its task is followed as a task), so the thread ledger
     * does not count it as a thread of its own. Cleared by the start.
     */
    public boolean executorStart;

    /** Owned by the executor ledger: the task a thread-per-task executor is making a thread for. */
    public Object perTaskTask;

    ThreadSlot(Thread thread) {
        super(thread);
    }
}
