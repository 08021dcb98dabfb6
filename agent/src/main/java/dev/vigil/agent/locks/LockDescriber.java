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

    /**
     * As {@link #classKey(Object)}, for {@code lock} taken at {@code site}: a monitor taken in the
     * code of a superclass of its own class (a {@code synchronized} method of {@code StoredPage} on an
     * {@code AllocPage}) is of the class that takes it, so that a subclass does not split a lock class.
     */
    default String classKey(Object lock, String site) {
        return classKey(lock);
    }

    /**
     * The lock's node in the graph folded onto lock classes, used only to rule cycles out: any
     * stable function of the lock will do (coarser only costs searches), but it must return the
     * same instance each time for the same lock (compared by identity), and never run application
     * code. By default the class's name (cached by the JDK); a {@code Class} monitor folds by its
     * own name.
     */
    default Object foldKey(Object lock) {
        return lock instanceof Class<?> c ? c.getName() : lock.getClass().getName();
    }
}
