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

    /** {@code thread} is about to terminate (called on the terminating thread). */
    void exiting(Thread thread);
}
