package dev.vigil.agent.jfr;

import jdk.jfr.EventType;

/**
 * Low-level events committed from hooks. Each first checks its type's enabled flag (a volatile
 * read), so when they are off, as by default, a hook allocates nothing for JFR.
 */
public final class LowLevelEvents {

    private static EventType threadStart;
    private static EventType threadEnd;
    private static EventType permitAcquire;
    private static EventType permitRelease;

    private LowLevelEvents() {
    }

    static void init() {
        threadStart = EventType.getEventType(ThreadStartEvent.class);
        threadEnd = EventType.getEventType(ThreadEndEvent.class);
        permitAcquire = EventType.getEventType(PermitAcquireEvent.class);
        permitRelease = EventType.getEventType(PermitReleaseEvent.class);
    }

    /** True when {@code vigil.PermitAcquire} or {@code vigil.PermitRelease} is on: check before building anything. */
    public static boolean permitAcquireEnabled() {
        EventType type = permitAcquire;
        return type != null && type.isEnabled();
    }

    public static boolean permitReleaseEnabled() {
        EventType type = permitRelease;
        return type != null && type.isEnabled();
    }

    /** Call only when {@link #permitAcquireEnabled()}. */
    public static void permitAcquired(String semaphore, int permits, int available, String location) {
        PermitAcquireEvent e = new PermitAcquireEvent();
        e.semaphore = semaphore;
        e.permits = permits;
        e.available = available;
        e.location = location;
        e.commit();
    }

    /** Call only when {@link #permitReleaseEnabled()}. */
    public static void permitReleased(String semaphore, int permits, int available, String location) {
        PermitReleaseEvent e = new PermitReleaseEvent();
        e.semaphore = semaphore;
        e.permits = permits;
        e.available = available;
        e.location = location;
        e.commit();
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
}
