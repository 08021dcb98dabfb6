package dev.vigil.agent.jfr;

import jdk.jfr.EventType;

/**
 * Low-level events committed from hooks. Each first checks its type's enabled flag (a volatile
 * read), so when they are off, as by default, a hook allocates nothing for JFR.
 */
public final class LowLevelEvents {

    private static EventType threadStart;
    private static EventType threadEnd;
    private static EventType lockOrderEdge;

    private LowLevelEvents() {
    }

    static void init() {
        threadStart = EventType.getEventType(ThreadStartEvent.class);
        threadEnd = EventType.getEventType(ThreadEndEvent.class);
        lockOrderEdge = EventType.getEventType(LockOrderEdgeEvent.class);
    }

    public static void threadStarted(Thread t, Thread parent, String origin, String location) {
        EventType type = threadStart;
        if (type == null || !type.isEnabled()) {
            return;
        }
        ThreadStartEvent e = new ThreadStartEvent();
        e.thread = t;
        e.threadId = t.getId();
        e.threadName = t.getName();
        e.parentThread = parent;
        e.origin = origin;
        e.daemon = t.isDaemon();
        e.location = location;
        e.commit();
    }

    public static void threadEnded(Thread t) {
        EventType type = threadEnd;
        if (type == null || !type.isEnabled()) {
            return;
        }
        ThreadEndEvent e = new ThreadEndEvent();
        e.thread = t;
        e.threadId = t.getId();
        e.threadName = t.getName();
        e.commit();
    }

    /** True when a recording wants {@code vigil.LockOrderEdge}: check before building its fields. */
    public static boolean lockOrderEdgeEnabled() {
        EventType type = lockOrderEdge;
        return type != null && type.isEnabled();
    }

    /** A new lock-order edge, on the calling thread (the one that took it). */
    public static void lockOrderEdge(String fromLock, String toLock, String heldAt, String takenAt, boolean readOnly) {
        if (!lockOrderEdgeEnabled()) {
            return;
        }
        Thread t = Thread.currentThread();
        LockOrderEdgeEvent e = new LockOrderEdgeEvent();
        e.fromLock = fromLock;
        e.toLock = toLock;
        e.heldAt = heldAt;
        e.takenAt = takenAt;
        e.readOnly = readOnly;
        e.thread = t;
        e.threadId = t.getId();
        e.threadName = t.getName();
        e.commit();
    }
}
