package dev.vigil.examples.locks;

/**
 * GOOD: the fix of {@link WaitWhileLocked}. The writer flushes under the index monitor, releases
 * it, and only then waits for the merges: the merger can publish its segment and notify. Vigil
 * reports nothing.
 */
public final class WaitAfterUnlock {

    private WaitAfterUnlock() {
    }

    public static void main(String[] args) throws InterruptedException {
        WaitWhileLocked w = new WaitWhileLocked();
        Thread writer = new Thread(() -> {
            synchronized (w.index) {
                w.segments.add("flushed-0");
            }
            synchronized (w.merges) { // the index is released before the wait
                try {
                    while (w.merged < 2) {
                        w.merges.wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "writer");
        writer.start();
        while (writer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        Thread merger = new Thread(() -> w.merge(2), "merger");
        merger.start();
        writer.join();
        merger.join();
        synchronized (w.index) {
            System.out.println(w.segments);
        }
    }
}
