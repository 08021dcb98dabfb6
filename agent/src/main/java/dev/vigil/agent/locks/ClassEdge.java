package dev.vigil.agent.locks;

import java.util.Arrays;

/**
 * An edge of the class graph: a lock of class {@code to} was taken while one of class {@code from}
 * was held. Keeps the first instance edge's sites and stack as its example. Guarded by the graph.
 */
final class ClassEdge {

    final String from;
    final String to;
    final String fromLabel;
    final String toLabel;
    boolean readOnly;
    final String heldSite;
    final String takenSite;
    final StackTraceElement[] stack;
    final EdgeThreads threads;
    /** Gate lock instances and gate lock classes held every time; null: none. */
    int[] gates;
    String[] gateClasses;

    ClassEdge(String from, String to, LockEdge example, String[] gateClasses, Thread thread) {
        this.from = from;
        this.to = to;
        this.fromLabel = "any " + example.fromLabel;
        this.toLabel = "any " + example.toLabel;
        this.readOnly = example.readOnly;
        this.heldSite = example.heldSite;
        this.takenSite = example.takenSite;
        this.stack = example.stack;
        this.threads = new EdgeThreads(thread);
        this.gates = example.gates;
        this.gateClasses = gateClasses;
    }

    boolean intersectGates(int[] now, String[] nowClasses) {
        int before = (gates == null ? 0 : gates.length) + (gateClasses == null ? 0 : gateClasses.length);
        gates = EdgeThreads.intersect(gates, now);
        gateClasses = intersect(gateClasses, nowClasses);
        return before != (gates == null ? 0 : gates.length) + (gateClasses == null ? 0 : gateClasses.length);
    }

    static String[] intersect(String[] a, String[] b) {
        if (a == null || b == null) {
            return null;
        }
        String[] out = new String[Math.min(a.length, b.length)];
        int n = 0;
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y)) {
                    out[n++] = x;
                    break;
                }
            }
        }
        return n == 0 ? null : Arrays.copyOf(out, n);
    }
}
