package dev.vigil.bootstrap;

/**
 * Receives thread lifecycle events from {@link VigilHooks}. Implemented by the agent's thread
 * tracker; lives here so that JDK code (which can only see the bootstrap class path) can call it.
 */
public interface ThreadListener {

    /** {@code parent} is about to call {@code Thread.start()} on {@code thread}. */
    void starting(Thread parent, Thread thread);

    /** {@code Thread.start()} threw: the thread never ran. */
    void startFailed(Thread thread);

    /**
     * {@code thread} is about to terminate: called on the terminating thread for a platform thread;
     * for a virtual thread on its carrier, after {@link #virtualRunEnded}.
     */
    void exiting(Thread thread);

    /**
     * The virtual thread {@code thread} has run its task (returned or thrown) and is about to end;
     * called on that virtual thread, still mounted (JDK 22+; not called on JDK 21, where the
     * thread unmounts before its run method returns).
     */
    default void virtualRunEnded(Thread thread) {
    }
}
