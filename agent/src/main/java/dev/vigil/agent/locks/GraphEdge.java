package dev.vigil.agent.locks;

/**
 * What instance and class edges share: the locks' keys and labels, the sites and stack of the first
 * time the edge was seen, the threads that took it, and what the cycle rules need (read-only, gate
 * locks held every time). Mutated only under the graph's lock.
 */
abstract class GraphEdge {

    final String fromKey;
    final String toKey;
    final String fromLabel;
    final String toLabel;
    final String heldSite;
    final String takenSite;
    final StackTraceElement[] stack;
    final EdgeThreads threads;
    /** True while every observation held and took this edge's locks in read mode. */
    boolean readOnly;
    /** Identity hashes of the other locks held every time this edge was seen; null: none. */
    int[] gates;

    GraphEdge(String fromKey, String toKey, String fromLabel, String toLabel, String heldSite, String takenSite,
              StackTraceElement[] stack, Thread thread, boolean readOnly, int[] gates) {
        this.fromKey = fromKey;
        this.toKey = toKey;
        this.fromLabel = fromLabel;
        this.toLabel = toLabel;
        this.heldSite = heldSite;
        this.takenSite = takenSite;
        this.stack = stack;
        this.threads = new EdgeThreads(thread);
        this.readOnly = readOnly;
        this.gates = gates;
    }
}
