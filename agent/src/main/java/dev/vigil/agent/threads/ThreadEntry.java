package dev.vigil.agent.threads;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.ref.WeakReference;

/** One tracked thread. Holds the thread weakly: Vigil never keeps a thread object alive. */
public final class ThreadEntry {

    private final long id;
    private final String name;
    private final boolean daemon;
    private final ThreadOrigin origin;
    private final long parentId;
    private final String parentName;
    private final StartSite startSite;
    private final long startMillis;
    private final long startOrder = StartOrder.next();
    private final WeakReference<Thread> thread;
    private final boolean pooled;
    private volatile long endMillis;
    private volatile boolean outOfScope;

    ThreadEntry(Thread t, ThreadOrigin origin, Thread parent, StartSite startSite, long startMillis) {
        this(t, origin, parent, startSite, startMillis, false);
    }

    ThreadEntry(Thread t, ThreadOrigin origin, Thread parent, StartSite startSite, long startMillis, boolean pooled) {
        this.pooled = pooled;
        this.id = ThreadFacts.id(t);
        this.name = ThreadFacts.name(t);
        this.daemon = t.isDaemon();
        this.origin = origin;
        this.parentId = parent == null ? -1 : ThreadFacts.id(parent);
        this.parentName = parent == null ? null : ThreadFacts.name(parent);
        this.startSite = startSite;
        this.startMillis = startMillis;
        this.thread = new WeakReference<>(t);
    }

    /** A worker of a thread pool: its lifetime is the pool's, reported as an executor finding. */
    public boolean pooled() {
        return pooled;
    }

    public long id() {
        return id;
    }

    /** The thread's current name while it is alive, else the name it had when it started. */
    public String name() {
        Thread t = thread.get();
        return t != null ? ThreadFacts.name(t) : name;
    }

    public boolean daemon() {
        return daemon;
    }

    public ThreadOrigin origin() {
        return origin;
    }

    /** -1 when unknown. */
    public long parentId() {
        return parentId;
    }

    public String parentName() {
        return parentName;
    }

    /** Null for pre-existing threads. */
    public StartSite startSite() {
        return startSite;
    }

    /** 0 for pre-existing threads. */
    /** Where this thread's start falls in {@link StartOrder}. */
    public long startOrder() {
        return startOrder;
    }

    public long startMillis() {
        return startMillis;
    }

    /** 0 while alive. */
    public long endMillis() {
        return endMillis;
    }

    void ended(long now) {
        endMillis = now;
    }

    /**
     * False once a scope reset ({@link ThreadLedger#resetScope()}) has happened while this thread
     * was alive: like a pre-existing thread, it is never a finding.
     */
    public boolean inScope() {
        return !outOfScope;
    }

    void leaveScope() {
        outOfScope = true;
    }

    /** The thread, or null once it has been collected. */
    public Thread thread() {
        return thread.get();
    }

    public boolean alive() {
        Thread t = thread.get();
        return endMillis == 0 && t != null && t.isAlive();
    }
}
