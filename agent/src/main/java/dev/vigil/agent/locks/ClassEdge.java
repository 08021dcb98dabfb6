package dev.vigil.agent.locks;

import java.util.Arrays;

/**
 * An edge of the class graph: a lock of class {@code to} was taken while one of class {@code from}
 * was held. Keeps the first instance edge's sites and stack as its example. Guarded by the graph.
 */
final class ClassEdge extends GraphEdge {

    final String from;
    final String to;
    /** Gate lock classes held every time; null: none. */
    String[] gateClasses;

    ClassEdge(String from, String to, LockEdge example, String[] gateClasses, Thread thread) {
        super("c" + from, "c" + to, classLabel(from, example.fromLabel), classLabel(to, example.toLabel), example.heldSite,
                example.takenSite, example.stack, thread, example.readOnly, example.gates);
        this.from = from;
        this.to = to;
        this.gateClasses = gateClasses;
    }

    /** "any monitor of Account"; for a j.u.c lock, whose class is its allocation site, "any ReentrantLock created at ...". */
    private static String classLabel(String classKey, String instanceLabel) {
        return "any " + (classKey.contains(" created at ") ? classKey : instanceLabel);
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
        // Seen again under the same held set, nothing shrinks: a is kept, nothing is allocated.
        if (containsAll(b, a)) {
            return a;
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

    private static boolean containsAll(String[] set, String[] items) {
        for (String x : items) {
            boolean found = false;
            for (String y : set) {
                if (x.equals(y)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
