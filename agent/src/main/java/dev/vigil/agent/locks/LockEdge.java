package dev.vigil.agent.locks;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * An edge of the instance graph: {@code to} was taken while {@code from} was held. Refers to both
 * locks weakly; an edge whose lock was collected is purged. Mutated only under the graph's lock.
 */
final class LockEdge extends GraphEdge {

    final Ref from;
    final Ref to;
    final int fromId;
    final int toId;
    final String fromClass;
    final String toClass;
    /** Next edge with the same (fromId, toId) key: identity hashes can collide. */
    LockEdge sameKey;
    /** Set once the edge left the graph (one of its locks was collected). */
    boolean removed;
    /**
     * Set once the edge is part of an instance cycle: threads never cache it as known, so every
     * time one takes it, the tracker can look for a live deadlock (see {@link LockOrderGraph#acquired}).
     */
    boolean inCycle;
    /** Its class edge, once known: a known edge seen again skips the lookup by class names. */
    ClassEdge classEdge;

    /** A weak reference to one of the edge's locks, queued when the lock is collected. */
    static final class Ref extends WeakReference<Object> {
        final LockEdge edge;

        Ref(Object lock, LockEdge edge, ReferenceQueue<Object> queue) {
            super(lock, queue);
            this.edge = edge;
        }
    }

    LockEdge(ReferenceQueue<Object> queue, Object from, Object to, int fromId, int toId, String fromLabel,
             String toLabel, String fromClass, String toClass, int heldMode, int takenMode, String heldSite,
             String takenSite, StackTraceElement[] stack, Thread thread, int[] gates) {
        super("i" + fromId, "i" + toId, fromLabel, toLabel, heldSite, takenSite, stack, thread,
                heldMode == LockOrderGraph.READ && takenMode == LockOrderGraph.READ, gates);
        this.from = new Ref(from, this, queue);
        this.to = new Ref(to, this, queue);
        this.fromId = fromId;
        this.toId = toId;
        this.fromClass = fromClass;
        this.toClass = toClass;
    }

    boolean dead() {
        return from.get() == null || to.get() == null;
    }

    /** An observation in write mode ends read-only; true when that changed. */
    boolean observeModes(int heldMode, int takenMode) {
        if (readOnly && (heldMode != LockOrderGraph.READ || takenMode != LockOrderGraph.READ)) {
            readOnly = false;
            return true;
        }
        return false;
    }

    /** Keeps only the gates also held now; true when the set shrank. */
    boolean intersectGates(int[] now) {
        int[] shrunk = EdgeThreads.intersect(gates, now);
        boolean changed = (shrunk == null ? 0 : shrunk.length) != (gates == null ? 0 : gates.length);
        gates = shrunk;
        return changed;
    }
}
