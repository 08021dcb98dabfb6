package dev.vigil.agent.locks;

/** Names locks for reports and groups them into lock classes. Called on the graph's slow path only. */
public interface LockDescriber {

    /** A human label: {@code monitor of dev.x.Account}, {@code ReentrantLock}. */
    String label(Object lock);

    /**
     * The lock's class for predicted cycles, or null when it has none worth predicting over (a
     * JDK monitor such as a plain {@code Object}, whose class says nothing about its use).
     */
    String classKey(Object lock);
}
