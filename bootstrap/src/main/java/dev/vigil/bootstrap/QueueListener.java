package dev.vigil.bootstrap;

/**
 * What the agent's queue ledger hears from {@link QueueCalls}. Implementations must be quick,
 * never block and never throw (QueueCalls counts anything thrown as an internal error).
 * JDK types only in this signature: it lives on the bootstrap class path.
 */
public interface QueueListener {

    /** A producer operation: put, offer, add, transfer. */
    int PUT = 0;
    /** A consumer operation: take, poll, drainTo. */
    int TAKE = 1;

    /** {@code queue} was just constructed at {@code site} in application code. */
    void created(Object queue, String site);

    /** A non-blocking operation at {@code site} returned; {@code moved} is false for a failed offer or an empty poll. */
    void operated(Object queue, String site, int role, boolean moved);

    /**
     * A call that may block (put, take, timed offer/poll, transfer) is about to start. Returns a
     * token handed back to {@link #waitEnded}, or null.
     */
    Object waitStarting(Object queue, String site, int role);

    /** The call that {@link #waitStarting} announced returned or threw. */
    void waitEnded(Object token, boolean moved);
}
