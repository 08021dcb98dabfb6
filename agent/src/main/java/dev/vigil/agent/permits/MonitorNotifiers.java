package dev.vigil.agent.permits;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Who notifies the monitors that threads wait on (issue 18 part 1): for each monitor an untimed
 * {@code Object.wait} was seen on, the last few threads that called {@code notify} or
 * {@code notifyAll} on it at an instrumented call, and where. A thread stuck in a monitor wait
 * whose notifiers have all ended (or wait themselves) will never be woken.
 *
 * <p>Monitors are found by identity in a small table, never by hash: {@code notify} runs while
 * the monitor is held, and hashing a held monitor that is not inflated inflates it (JDK 17). A
 * {@code notify} on a monitor nobody waits on costs a volatile read while the table is empty, a
 * scan of it otherwise. At most {@link #MAX_MONITORS} monitors; past that the least recently
 * waited on without a waiter is forgotten, and a monitor that finds no room is counted
 * ({@code monitorsNotWatched}).
 */
final class MonitorNotifiers {

    static final int MAX_MONITORS = 64;
    static final int NOTIFIERS_PER_MONITOR = 4;

    /** A thread that notified a monitor, at {@code site}, last at {@code atMillis}. */
    record Notifier(long threadId, String threadName, WeakReference<Thread> thread, String site, long atMillis) {
    }

    private static final class Slot {
        final WeakReference<Object> monitor;
        final Notifier[] notifiers = new Notifier[NOTIFIERS_PER_MONITOR];
        int waiting;
        long lastWaitMillis;

        Slot(Object monitor) {
            this.monitor = new WeakReference<>(monitor);
        }
    }

    // Guarded by this.
    private final Slot[] slots = new Slot[MAX_MONITORS];
    /** Slots in use: {@link #notified} reads it before it takes the lock. */
    private volatile int used;
    private long notWatched;

    /** An untimed wait on {@code monitor} begins. */
    synchronized void waitStarted(Object monitor, long nowMillis) {
        Slot s = find(monitor);
        if (s == null) {
            int i = freeSlot();
            if (i < 0) {
                notWatched++;
                return;
            }
            s = new Slot(monitor);
            if (slots[i] == null) {
                used++;
            }
            slots[i] = s;
        }
        s.waiting++;
        s.lastWaitMillis = nowMillis;
    }

    /** An untimed wait on {@code monitor} that {@link #waitStarted} saw has ended. */
    synchronized void waitEnded(Object monitor) {
        Slot s = monitor == null ? null : find(monitor);
        if (s != null && s.waiting > 0) {
            s.waiting--;
        }
    }

    /** The calling thread notified {@code monitor} at {@code site}. */
    void notified(Object monitor, String site, long nowMillis) {
        if (used == 0) {
            return;
        }
        Thread t = Thread.currentThread();
        synchronized (this) {
            Slot s = find(monitor);
            if (s == null) {
                return;
            }
            long id = ThreadFacts.id(t);
            int replace = 0;
            for (int i = 0; i < s.notifiers.length; i++) {
                Notifier n = s.notifiers[i];
                if (n == null || n.threadId() == id) {
                    replace = i;
                    break;
                }
                if (n.atMillis() < s.notifiers[replace].atMillis()) {
                    replace = i;
                }
            }
            Notifier old = s.notifiers[replace];
            if (old != null && old.threadId() == id && old.site().equals(site)) {
                s.notifiers[replace] = new Notifier(id, old.threadName(), old.thread(), site, nowMillis);
            } else {
                s.notifiers[replace] = new Notifier(id, ThreadFacts.name(t), new WeakReference<>(t), site, nowMillis);
            }
        }
    }

    /** The threads known to have notified {@code monitor}, most recent first; empty when none or not watched. */
    synchronized List<Notifier> of(Object monitor) {
        List<Notifier> out = new ArrayList<>();
        Slot s = monitor == null ? null : find(monitor);
        if (s != null) {
            for (Notifier n : s.notifiers) {
                if (n != null) {
                    out.add(n);
                }
            }
            out.sort((a, b) -> Long.compare(b.atMillis(), a.atMillis()));
        }
        return out;
    }

    synchronized long notWatched() {
        return notWatched;
    }

    private Slot find(Object monitor) {
        for (Slot s : slots) {
            if (s != null && s.monitor.get() == monitor) {
                return s;
            }
        }
        return null;
    }

    /** An empty slot, one whose monitor was collected, or the least recently waited on without a waiter; -1 if none. */
    private int freeSlot() {
        int idle = -1;
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (s == null || s.monitor.get() == null) {
                return i;
            }
            if (s.waiting == 0 && (idle < 0 || s.lastWaitMillis < slots[idle].lastWaitMillis)) {
                idle = i;
            }
        }
        return idle;
    }
}
