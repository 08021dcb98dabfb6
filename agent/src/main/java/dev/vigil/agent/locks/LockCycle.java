package dev.vigil.agent.locks;

import dev.vigil.report.model.Severity;
import java.util.List;

/**
 * A cycle in the lock-order graph, as found: every edge with its locks, the thread that took it and
 * the stack captured when it was first seen. Immutable.
 *
 * @param mode     {@code observed} (the same lock instances) or {@code predicted} (lock classes)
 * @param severity ERROR when several threads take the edges of an observed cycle, WARNING when
 *                 predicted, INFO when one single thread took every edge
 * @param steps    edge i goes from {@code steps[i].from} to {@code steps[i].to} == {@code steps[i+1].from}
 * @param setupEdge an edge was taken only before the program started any thread of its own (set-up):
 *                 an observed cycle with one is a WARNING, not an ERROR
 */
public record LockCycle(String mode, Severity severity, List<Step> steps, boolean setupEdge) {

    public static final String OBSERVED = "observed";
    public static final String PREDICTED = "predicted";

    public LockCycle {
        steps = List.copyOf(steps);
    }

    public LockCycle(String mode, Severity severity, List<Step> steps) {
        this(mode, severity, steps, false);
    }

    /**
     * One edge: {@code to} taken while {@code from} was held.
     *
     * @param fromKey   identifies the lock within the cycle (same key, same lock)
     * @param heldSite  site constant where {@code from} was taken (see {@link dev.vigil.bootstrap.LockListener})
     * @param takenSite site constant where {@code to} was taken
     * @param stack     the stack when {@code to} was taken, first time this edge was seen
     */
    public record Step(String fromKey, String fromLabel, String toKey, String toLabel, String threadName,
                       long threadId, String heldSite, String takenSite, StackTraceElement[] stack) {
    }
}
