package dev.vigil.agent.queues;

import dev.vigil.agent.jfr.LowLevelEvents;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bootstrap.QueueListener;
import dev.vigil.bootstrap.VigilHooks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The queue ledger: every blocking queue the application creates or uses at its own call sites,
 * with its producer and consumer threads, and the blocking call each thread is in. Bounded: at most
 * {@link #MAX_QUEUES} queues (held weakly) and {@link #MAX_THREADS} threads, the rest counted in
 * {@link #truncated()}.
 *
 * <p>Hot path ({@link #operated} on a queue the thread used last): a thread-local read, one reference
 * compare, two plain writes to the thread's own {@link Party}. Everything else is the slow path, run
 * inside {@link VigilHooks#enter()}.
 */
public final class QueueLedger implements QueueListener {

    static final int MAX_QUEUES = 10_000;
    static final int MAX_THREADS = 10_000;

    private final WeakIdentityMap<QueueRecord> queues = new WeakIdentityMap<>();
    private final ThreadLocal<QueueThread> local = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<QueueThread> threads = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong threadCount = new AtomicLong();
    private final AtomicLong queuesDropped = new AtomicLong();
    private final AtomicLong threadsDropped = new AtomicLong();
    private final LongSupplier clock;
    private volatile Runnable onPartyEnded = () -> { };

    public QueueLedger(LongSupplier clock) {
        this.clock = clock;
    }

    /** Run (on the ending thread, quickly) when a producer or consumer ends. */
    void onPartyEnded(Runnable r) {
        this.onPartyEnded = r;
    }

    // ---------------------------------------------------------------- QueueListener

    @Override
    public void created(Object queue, String site) {
        QueueRecord r = queues.get(queue);
        if (r == null) {
            record(queue, site, null);
        } else if (r.createdSite == null) {
            r.createdSite = site;
        }
    }

    @Override
    public void operated(Object queue, String site, int role, boolean moved) {
        QueueThread t = local.get();
        Party p = t == null ? null : role == PUT ? t.lastPut : t.lastTake;
        if (p == null || p.queue.queue.get() != queue) {
            p = slowParty(queue, site, role);
            if (p == null) {
                return;
            }
        }
        if (moved) {
            p.operations++;
        }
        p.lastSite = site;
        if (role == PUT) {
            LowLevelEvents.queuePut(queue, p.queue.id, site, moved);
        } else {
            LowLevelEvents.queueTake(queue, p.queue.id, site, moved);
        }
    }

    @Override
    public Object waitStarting(Object queue, String site, int role) {
        QueueThread t = local.get();
        Party p = t == null ? null : role == PUT ? t.lastPut : t.lastTake;
        if (p == null || p.queue.queue.get() != queue) {
            p = slowParty(queue, site, role);
            if (p == null) {
                return null;
            }
            t = local.get();
        }
        t.waitSite = site;
        t.waitStartNanos = System.nanoTime();
        t.waitStartMillis = 0;
        t.waitSeq++;
        t.waitParty = p;
        return t;
    }

    @Override
    public void waitEnded(Object token, boolean moved) {
        QueueThread t = (QueueThread) token;
        Party p = t.waitParty;
        t.waitParty = null;
        if (p == null) {
            return;
        }
        if (moved) {
            p.operations++;
        }
        p.lastSite = t.waitSite;
        Object queue = p.queue.queue.get();
        if (p.role == PUT) {
            LowLevelEvents.queuePut(queue, p.queue.id, t.waitSite, moved);
        } else {
            LowLevelEvents.queueTake(queue, p.queue.id, t.waitSite, moved);
        }
    }

    // ---------------------------------------------------------------- slow path

    /** This thread's party in {@code queue} for {@code role}, created if new; null when capped or re-entered. */
    private Party slowParty(Object queue, String site, int role) {
        if (!VigilHooks.enter()) {
            return null;
        }
        try {
            QueueThread t = local.get();
            if (t == null) {
                if (threadCount.incrementAndGet() > MAX_THREADS) {
                    threadCount.decrementAndGet();
                    threadsDropped.incrementAndGet();
                    return null;
                }
                t = new QueueThread(Thread.currentThread());
                local.set(t);
                threads.add(t);
            }
            QueueRecord r = queues.get(queue);
            if (r == null) {
                r = record(queue, null, site);
                if (r == null) {
                    return null;
                }
            }
            Party p = null;
            for (Party known : t.parts) {
                if (known.queue == r && known.role == role) {
                    p = known;
                    break;
                }
            }
            if (p == null) {
                if (t.parts.size() >= QueueThread.MAX_PARTS) {
                    return null;
                }
                p = r.add(role, Thread.currentThread(), site);
                if (p == null) {
                    return null;
                }
                t.parts.add(p);
            }
            if (role == PUT) {
                t.lastPut = p;
            } else {
                t.lastTake = p;
            }
            return p;
        } finally {
            VigilHooks.leave();
        }
    }

    private QueueRecord record(Object queue, String createdSite, String firstSite) {
        // Sweeping walks the whole map: do it now and then, and when full, not for every new queue.
        if ((ids.get() & 63) == 0 || queues.size() >= MAX_QUEUES) {
            queues.drainCollected();
        }
        if (queues.size() >= MAX_QUEUES) {
            queuesDropped.incrementAndGet();
            return null;
        }
        QueueRecord r = new QueueRecord(ids.incrementAndGet(), queue, createdSite, firstSite);
        QueueRecord raced = queues.putIfAbsent(queue, r);
        return raced == null ? r : raced;
    }

    /** {@code [puts, takes]} seen on {@code queue} (all zero when it is not tracked): for the self-test. */
    public long[] moved(Object queue) {
        QueueRecord r = queues.get(queue);
        return r == null ? new long[2] : new long[] {r.operations(PUT), r.operations(TAKE)};
    }

    /** Forgets {@code queue} and this thread's queue state: for the agent's own start-up check. */
    public void forget(Object queue) {
        queues.remove(queue);
        QueueThread t = local.get();
        if (t != null) {
            local.remove();
            if (threads.remove(t)) {
                threadCount.decrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- thread end

    /** ThreadLedger's end callback: runs on the ending thread. */
    public void threadEnded(Thread ending) {
        QueueThread t = local.get();
        if (t == null) {
            return;
        }
        long now = clock.getAsLong();
        for (Party p : t.parts) {
            p.endedMillis = now;
            p.ended = true;
            QueueRecord r = p.queue;
            if (p.role == TAKE && r.consumersGoneMillis == 0 && r.allEnded(TAKE)) {
                r.putsWhenConsumersGone = r.operations(PUT);
                r.consumersGoneMillis = now;
            }
        }
        threads.remove(t);
        threadCount.decrementAndGet();
        onPartyEnded.run();
    }

    // ---------------------------------------------------------------- for the watch and the report

    /**
     * What {@code thread} is blocked on now, if in a queue call this ledger follows:
     * {@code "queue LinkedBlockingQueue@1b6d3586 (0 queued, unbounded), in take"}; else null.
     */
    public String waitingOn(Thread thread) {
        for (QueueThread t : threads) {
            Party p = t.waitParty;
            Object q = p == null ? null : p.queue.queue.get();
            if (q != null && t.thread.get() == thread) {
                return "queue " + p.queue.describe(q) + (p.role == QueueListener.PUT ? ", to put" : ", to take");
            }
        }
        return null;
    }

    List<QueueThread> threads() {
        List<QueueThread> out = new ArrayList<>();
        for (Iterator<QueueThread> it = threads.iterator(); it.hasNext(); ) {
            QueueThread t = it.next();
            Thread th = t.thread.get();
            if (th == null) {
                if (threads.remove(t)) {
                    threadCount.decrementAndGet();
                }
                continue;
            }
            out.add(t);
        }
        return out;
    }

    List<Map.Entry<Object, QueueRecord>> queues() {
        return queues.entries();
    }

    public Map<String, Long> truncated() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("queuesNotTracked", queuesDropped.get());
        m.put("queueThreadsNotTracked", threadsDropped.get());
        long parties = 0;
        for (Map.Entry<Object, QueueRecord> e : queues.entries()) {
            parties += e.getValue().dropped();
        }
        m.put("queuePartiesNotListed", parties);
        return m;
    }
}
