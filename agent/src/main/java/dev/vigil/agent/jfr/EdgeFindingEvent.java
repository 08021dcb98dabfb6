package dev.vigil.agent.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;

/**
 * A finding made of lock-order edges (a cycle, a deadlock). JFR fields cannot hold arrays, so a
 * cycle of N edges is N events sharing {@code cycleId}; {@code findingJson} is on edge 0 only.
 */
abstract class EdgeFindingEvent extends FindingEvent {

    @Label("Cycle Id")
    @Description("Shared by the events of one cycle (the finding's fingerprint)")
    String cycleId;

    @Label("Edge Index")
    @Description("Position of this edge in the cycle, from 0")
    int edgeIndex;

    @Label("Edge Count")
    @Description("Edges in the cycle")
    int edgeCount;

    @Label("From Lock")
    @Description("The lock held")
    String fromLock;

    @Label("To Lock")
    @Description("The lock taken (or wanted) while holding the first")
    String toLock;

    @Label("Edge Thread Name")
    @Description("The thread that took this edge")
    String edgeThreadName;

    @Label("Edge Thread Id")
    long edgeThreadId;

    @Label("Held At")
    @Description("Where the held lock was taken (File:line)")
    String heldAt;

    @Label("Taken At")
    @Description("Where the second lock was taken while the first was held (File:line)")
    String takenAt;
}
