package dev.vigil.bootstrap;

/**
 * Receives lock events from {@link VigilHooks}. Implemented by the agent's lock tracker; lives here
 * so that JDK code (which sees only the bootstrap class path) can call it.
 *
 * <p>{@code slot} is the calling thread's private slot: the tracker keeps its per-thread state
 * there, so a lock event costs one thread-local lookup, not two.
 */
public interface LockListener {

    /** Flag: the lock was taken by {@code tryLock}; it could not block, so it orders nothing. */
    int TRY = 1;

    /** Flag: the hook runs just before MONITORENTER; the thread may still block on the monitor. */
    int EARLY = 2;

    /** {@link #holds}: the lock has no JDK synchronizer whose holds can be read (a custom lock). */
    int HOLDS_UNKNOWN = -2;

    /** {@link #holds}: a JDK lock class whose synchronizer is missing: a mock (no constructor ran). */
    int NO_SYNCHRONIZER = -1;

    /**
     * The calling thread now holds {@code lock} (a monitor, or a {@code java.util.concurrent} lock).
     *
     * @param site where it was taken: {@code class|method|line} of the application code, or
     *             {@code class|method|descriptor} for a synchronized method; a constant
     * @param flags {@link #TRY} or 0
     */
    void acquired(ThreadSlot slot, Object lock, String site, int flags);

    /** The calling thread releases one hold of {@code lock}. */
    void released(ThreadSlot slot, Object lock);

    /** As {@link #acquired}, for a monitor ({@code flags}: {@link #EARLY} or 0). */
    default void monitorAcquired(ThreadSlot slot, Object monitor, String site, int flags) {
        acquired(slot, monitor, site, 0);
    }

    /** As {@link #released}, for a monitor. */
    default void monitorReleasing(ThreadSlot slot, Object monitor) {
        released(slot, monitor);
    }

    /** {@code Object.wait} or {@code Condition.await} is about to release {@code monitorOrCondition} fully. */
    void waitStarted(ThreadSlot slot, Object monitorOrCondition);

    /** The wait returned (or threw): the lock is held again, re-acquired at {@code site}. */
    void waitEnded(ThreadSlot slot, Object monitorOrCondition, String site);

    /**
     * The calling thread found {@code lock} taken by another thread and is about to block on it
     * (contended path only): it waits for {@code lock}, wanted at {@code site}, until
     * {@link #unblocked}.
     */
    default void blocking(ThreadSlot slot, Object lock, String site) {
    }

    /** Whether {@code lock()} on {@code lock} would block now (racy); false when unknown. */
    default boolean looksTaken(ThreadSlot slot, Object lock) {
        return false;
    }

    /**
     * The calling thread's holds of {@code lock} by the JDK's synchronizer inside it, never by a
     * method of {@code lock}; {@link #NO_SYNCHRONIZER} or {@link #HOLDS_UNKNOWN}.
     */
    default int holds(ThreadSlot slot, Object lock) {
        return HOLDS_UNKNOWN;
    }

    /** The blocking acquisition of {@code lock} returned or threw. */
    default void unblocked(ThreadSlot slot, Object lock) {
    }

    /** Application code created {@code lock} at {@code site} (a constant, as for {@link #acquired}). */
    default void created(ThreadSlot slot, Object lock, String site) {
    }
}
