package dev.vigil.examples.locks;

import java.util.ArrayList;
import java.util.List;

/**
 * BAD: a deadlock through a wait, with no lock cycle (Lucene's LUCENE-2783 had this shape).
 *
 * <p>An index writer flushes while holding the index's monitor, and waits there for the merge
 * thread to finish a merge. The merge thread, to finish, must publish its segment under the same
 * index monitor: it blocks on it, and never notifies. Neither can proceed; the JVM's own deadlock
 * search sees no cycle of locks and says nothing, and the wait is a plain {@code Object.wait()}.
 * Vigil sees a thread waiting while it holds a lock that the thread it knows releases the wait (the
 * merger notified it before) is blocked on: a {@code deadlock} finding within about two seconds,
 * with the lock, the wait and both threads. The fix is {@link WaitAfterUnlock}.
 */
public final class WaitWhileLocked {

    final Object index = new Object();
    final Object merges = new Object();
    final List<String> segments = new ArrayList<>();
    int merged;

    /** The writer: flushes, then waits for the merges it needs, still holding the index. */
    void flushAndWaitForMerges(int needed) throws InterruptedException {
        synchronized (index) { // vigil:expect deadlock
            segments.add("flushed-" + segments.size());
            synchronized (merges) {
                while (merged < needed) {
                    merges.wait(); // vigil:expect deadlock
                }
            }
        }
    }

    /** The merger: merges, publishes under the index monitor, then tells the writer. */
    void merge(int n) {
        for (int i = 0; i < n; i++) {
            String segment = "merged-" + i;
            if (i > 0) {
                synchronized (index) { // vigil:expect deadlock
                    segments.add(segment);
                }
            }
            synchronized (merges) {
                merged++;
                merges.notifyAll(); // vigil:expect deadlock
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        WaitWhileLocked w = new WaitWhileLocked();
        Thread writer = new Thread(() -> {
            try {
                w.flushAndWaitForMerges(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "writer");
        writer.start();
        while (writer.getState() != Thread.State.WAITING) { // the writer waits before merging starts
            Thread.onSpinWait();
        }
        Thread merger = new Thread(() -> w.merge(2), "merger");
        merger.start();
        writer.join();
        System.out.println(w.segments);
    }
}
