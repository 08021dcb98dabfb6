package dev.vigil.agent.jfr;

import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;

/**
 * Registers every Vigil event class. Must run in premain, before any instrumentation is installed:
 * on JDK 25 an event class first used from advice inside a JDK lock during start-up kills the JVM
 * ("Failure when starting JFR on_create_vm_3", DESIGN.md §3). Registering does not start JFR and
 * writes nothing: without a recording, events cost a flag check.
 */
public final class JfrEvents {

    private JfrEvents() {
    }

    static final List<Class<? extends Event>> ALL = List.of(
            ThreadLeakEvent.class, ExecutorLeakEvent.class, TaskLeakEvent.class, UnobservedFailureEvent.class,
            FutureNeverCompletedEvent.class, LockOrderCycleEvent.class, DeadlockEvent.class, PermitLeakEvent.class,
            LockHeldByDeadThreadEvent.class, StuckWaitEvent.class, QueueOrphanEvent.class, QueueGrowthEvent.class,
            TimerPileUpEvent.class, ReportEvent.class, ThreadStartEvent.class, ThreadEndEvent.class,
            TaskSubmitEvent.class, TaskEndEvent.class, QueuePutEvent.class, QueueTakeEvent.class,
            LockOrderEdgeEvent.class, PermitAcquireEvent.class, PermitReleaseEvent.class);

    /** The periodic event whose end-of-chunk hook commits the current findings. */
    public static final Class<? extends Event> REPORT_EVENT = ReportEvent.class;

    public static void registerAll() {
        for (Class<? extends Event> c : ALL) {
            FlightRecorder.register(c);
        }
        LowLevelEvents.init();
    }

    /** A new event for a finding kind; null for a kind this version has no event for. */
    static FindingEvent forKind(String kind) {
        return switch (kind) {
            case "thread-leak" -> new ThreadLeakEvent();
            case "executor-leak" -> new ExecutorLeakEvent();
            case "task-leak" -> new TaskLeakEvent();
            case "unobserved-failure" -> new UnobservedFailureEvent();
            case "future-never-completed" -> new FutureNeverCompletedEvent();
            case "lock-order-cycle" -> new LockOrderCycleEvent();
            case "deadlock" -> new DeadlockEvent();
            case "permit-leak" -> new PermitLeakEvent();
            case "lock-held-by-dead-thread" -> new LockHeldByDeadThreadEvent();
            case "stuck-wait" -> new StuckWaitEvent();
            case "queue-orphan" -> new QueueOrphanEvent();
            case "queue-growth" -> new QueueGrowthEvent();
            case "timer-pile-up" -> new TimerPileUpEvent();
            default -> null;
        };
    }
}
