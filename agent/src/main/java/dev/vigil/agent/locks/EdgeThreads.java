package dev.vigil.agent.locks;

import dev.vigil.agent.host.ThreadFacts;
import java.util.Arrays;

/** The first few threads that took an edge (the count of distinct threads decides severity). */
final class EdgeThreads {

    static final int MAX = 4;

    final long[] ids = new long[MAX];
    final String[] names = new String[MAX];
    /** Per thread: every time it took the edge, the program had started no thread of its own yet (set-up). */
    final boolean[] setup = new boolean[MAX];
    int size;
    /**
     * Where and how each thread after the first took the edge, the first time it did (the first
     * thread's are the edge's own): a cycle is shown with the paths of the threads that form it,
     * not only with the edge's first (often single-threaded set-up). Made when a second thread comes.
     */
    private String[] heldSites;
    private String[] takenSites;
    private StackTraceElement[][] stacks;

    EdgeThreads(Thread first) {
        add(first);
    }

    /** True when {@code t} is a thread not seen on this edge before (and there was room). */
    boolean add(Thread t) {
        return add(t, false);
    }

    /**
     * As {@link #add(Thread)}; {@code duringSetup}: the program has started no thread of its own yet.
     * Also true when a thread seen only during set-up takes the edge again after it.
     */
    boolean add(Thread t, boolean duringSetup) {
        if (t == null) {
            return false; // a state whose thread was collected (states refer to threads weakly)
        }
        long id = ThreadFacts.id(t);
        for (int i = 0; i < size; i++) {
            if (ids[i] == id) {
                if (setup[i] && !duringSetup) {
                    setup[i] = false;
                    return true;
                }
                return false;
            }
        }
        if (size == MAX) {
            return false;
        }
        ids[size] = id;
        names[size] = ThreadFacts.name(t);
        setup[size] = duringSetup;
        size++;
        return true;
    }

    /** Records how thread entry {@code i} (not the first) took the edge; once. */
    void observed(int i, String heldSite, String takenSite, StackTraceElement[] stack) {
        if (i <= 0) {
            return;
        }
        if (heldSites == null) {
            heldSites = new String[MAX];
            takenSites = new String[MAX];
            stacks = new StackTraceElement[MAX][];
        }
        if (heldSites[i] == null) {
            heldSites[i] = heldSite;
            takenSites[i] = takenSite;
            stacks[i] = stack;
        }
    }

    /** Whether entry {@code i} still lacks its own sites (a thread after the first, not yet recorded). */
    boolean needsObservation(int i) {
        return i > 0 && (heldSites == null || heldSites[i] == null);
    }

    String heldSite(int i, String edgeFirst) {
        return i > 0 && heldSites != null && heldSites[i] != null ? heldSites[i] : edgeFirst;
    }

    String takenSite(int i, String edgeFirst) {
        return i > 0 && takenSites != null && takenSites[i] != null ? takenSites[i] : edgeFirst;
    }

    StackTraceElement[] stack(int i, StackTraceElement[] edgeFirst) {
        return i > 0 && stacks != null && stacks[i] != null ? stacks[i] : edgeFirst;
    }

    int indexOf(long id) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** Every thread that took this edge took it only during set-up, before the program started threads. */
    boolean onlyDuringSetup() {
        for (int i = 0; i < size; i++) {
            if (!setup[i]) {
                return false;
            }
        }
        return size > 0;
    }

    /** Sorted intersection of two id sets; null means empty. */
    static int[] intersect(int[] a, int[] b) {
        if (a == null || b == null) {
            return null;
        }
        // Seen again under the same held set, nothing shrinks: a is kept, nothing is allocated.
        if (containsAll(b, a)) {
            return a;
        }
        int[] out = new int[Math.min(a.length, b.length)];
        int n = 0;
        for (int x : a) {
            for (int y : b) {
                if (x == y) {
                    out[n++] = x;
                    break;
                }
            }
        }
        return n == 0 ? null : Arrays.copyOf(out, n);
    }

    private static boolean containsAll(int[] set, int[] items) {
        for (int x : items) {
            boolean found = false;
            for (int y : set) {
                if (x == y) {
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
