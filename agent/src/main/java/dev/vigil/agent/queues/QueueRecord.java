package dev.vigil.agent.queues;

import dev.vigil.agent.host.JdkMethod;
import dev.vigil.bootstrap.QueueListener;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * What Vigil knows about one application queue. Holds the queue weakly: the ledger never keeps a
 * queue alive. Producers and consumers are capped at {@link #MAX_PARTIES} each (counted when dropped).
 */
final class QueueRecord {

    static final int MAX_PARTIES = 16;
    /** Sizes sampled by the watch, oldest first, for the growth rule. */
    static final int SAMPLES = 4;

    final long id;
    final String type;
    final WeakReference<Object> queue;
    /** Site constant of the {@code new} in application code, or null. */
    volatile String createdSite;
    final String firstSite;
    /** {@link Integer#MAX_VALUE} for an unbounded queue. */
    final int capacity;
    private final List<Party> producers = new ArrayList<>(2);
    private final List<Party> consumers = new ArrayList<>(2);
    long partiesDropped;

    // Watch-thread state (only the watch reads and writes these).
    int highWater;
    final int[] samples = new int[SAMPLES];
    int sampleCount;
    boolean growthReported;
    boolean orphanReported;
    /** When the last consumer ended, and how many puts had been made then (0 = consumers not gone). */
    volatile long consumersGoneMillis;
    volatile long putsWhenConsumersGone;

    QueueRecord(long id, Object q, String createdSite, String firstSite) {
        this.id = id;
        this.type = q.getClass().getName();
        this.queue = new WeakReference<>(q);
        this.createdSite = createdSite;
        this.firstSite = firstSite;
        this.capacity = capacityOf(q);
    }

    /** Asked of the queue only when it is the JDK's code (issue 15: no application code runs in the agent). */
    private static final JdkMethod SIZE = new JdkMethod("size");
    private static final JdkMethod REMAINING_CAPACITY = new JdkMethod("remainingCapacity");

    private static int capacityOf(Object q) {
        if (q instanceof BlockingQueue<?> b && REMAINING_CAPACITY.isJdkCode(b) && SIZE.isJdkCode(b)) {
            long c = (long) b.remainingCapacity() + b.size();
            return c >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) c;
        }
        return Integer.MAX_VALUE;
    }

    boolean unbounded() {
        return capacity == Integer.MAX_VALUE;
    }

    /** Adds a party; null when the cap is reached. */
    synchronized Party add(int role, Thread t, String site) {
        List<Party> list = role == QueueListener.PUT ? producers : consumers;
        if (list.size() >= MAX_PARTIES) {
            partiesDropped++;
            return null;
        }
        Party p = new Party(this, role, t, site);
        list.add(p);
        return p;
    }

    synchronized List<Party> parties(int role) {
        return new ArrayList<>(role == QueueListener.PUT ? producers : consumers);
    }

    synchronized long dropped() {
        return partiesDropped;
    }

    long operations(int role) {
        long n = 0;
        for (Party p : parties(role)) {
            n += p.operations;
        }
        return n;
    }

    /** When the last known party of {@code role} ended (0: none known to have ended). */
    long lastEndedMillis(int role) {
        long last = 0;
        for (Party p : parties(role)) {
            last = Math.max(last, p.endedMillis);
        }
        return last;
    }

    /** Known parties of {@code role} exist and every one of them has ended. */
    boolean allEnded(int role) {
        List<Party> list = parties(role);
        if (list.isEmpty()) {
            return false;
        }
        for (Party p : list) {
            if (p.alive()) {
                return false;
            }
        }
        return true;
    }

    /** Elements in the queue now; 0 when gone, or when its {@code size()} is the application's own. */
    int size() {
        return sizeOf(queue.get());
    }

    private static int sizeOf(Object q) {
        return q instanceof java.util.Collection<?> c && SIZE.isJdkCode(c) ? c.size() : 0;
    }

    /** "ArrayBlockingQueue@1b6d3586 (2 of 2 slots used)". */
    String describe(Object q) {
        String name = type.substring(type.lastIndexOf('.') + 1) + "@" + Integer.toHexString(System.identityHashCode(q));
        int size = sizeOf(q);
        return name + (unbounded() ? " (" + size + " queued, unbounded)" : " (" + size + " of " + capacity + " slots used)");
    }
}
