package dev.vigil.agent.jfr;

import dev.vigil.agent.host.ThreadFacts;
import jdk.jfr.EventType;

/**
 * Low-level events committed from hooks. Each first checks its type's enabled flag (a volatile
 * read), so when they are off, as by default, a hook allocates nothing for JFR.
 */
public final class LowLevelEvents {

    private static EventType threadStart;
    private static EventType threadEnd;
    private static EventType taskSubmit;
    private static EventType taskEnd;
    private static EventType queuePut;
    private static EventType queueTake;
    private static EventType lockOrderEdge;
    private static EventType permitAcquire;
    private static EventType permitRelease;

    private LowLevelEvents() {
    }

    static void init() {
        threadStart = EventType.getEventType(ThreadStartEvent.class);
        threadEnd = EventType.getEventType(ThreadEndEvent.class);
        taskSubmit = EventType.getEventType(TaskSubmitEvent.class);
        taskEnd = EventType.getEventType(TaskEndEvent.class);
        queuePut = EventType.getEventType(QueuePutEvent.class);
        queueTake = EventType.getEventType(QueueTakeEvent.class);
        lockOrderEdge = EventType.getEventType(LockOrderEdgeEvent.class);
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
        e.threadId = ThreadFacts.id(t);
        e.threadName = ThreadFacts.name(t);
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
        e.threadId = ThreadFacts.id(t);
        e.threadName = ThreadFacts.name(t);
        e.commit();
    }

    public static void taskSubmitted(long taskId, long executorId, String executorType, String location) {
        EventType type = taskSubmit;
        if (type == null || !type.isEnabled()) {
            return;
        }
        TaskSubmitEvent e = new TaskSubmitEvent();
        e.taskId = taskId;
        e.executorId = executorId;
        e.executorType = executorType;
        e.location = location;
        e.commit();
    }

    public static void taskEnded(long taskId, long executorId, String outcome, long millisSinceSubmit) {
        EventType type = taskEnd;
        if (type == null || !type.isEnabled()) {
            return;
        }
        TaskEndEvent e = new TaskEndEvent();
        e.taskId = taskId;
        e.executorId = executorId;
        e.outcome = outcome;
        e.millisSinceSubmit = millisSinceSubmit;
        e.commit();
    }
    /** A producer operation at an application site ({@code site} is the site constant). */
    public static void queuePut(Object queue, long queueId, String site, boolean moved) {
        EventType type = queuePut;
        if (type == null || !type.isEnabled()) {
            return;
        }
        QueuePutEvent e = new QueuePutEvent();
        e.queueId = queueId;
        e.queueType = queue == null ? null : queue.getClass().getName();
        e.site = readable(site);
        e.moved = moved;
        e.commit();
    }

    /** A consumer operation at an application site. */
    public static void queueTake(Object queue, long queueId, String site, boolean moved) {
        EventType type = queueTake;
        if (type == null || !type.isEnabled()) {
            return;
        }
        QueueTakeEvent e = new QueueTakeEvent();
        e.queueId = queueId;
        e.queueType = queue == null ? null : queue.getClass().getName();
        e.site = readable(site);
        e.moved = moved;
        e.commit();
    }

    /** {@code A|com.example.Worker|run|42} as {@code com.example.Worker.run:42}. */
    private static String readable(String site) {
        if (site == null || site.length() < 2 || site.charAt(1) != '|') {
            return site;
        }
        String[] p = site.split("\\|", 4);
        return p.length < 4 ? site : p[1] + "." + p[2] + ":" + p[3];
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
        e.threadId = ThreadFacts.id(t);
        e.threadName = ThreadFacts.name(t);
        e.commit();
    }
}
