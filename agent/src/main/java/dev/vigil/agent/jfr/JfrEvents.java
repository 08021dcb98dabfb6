package dev.vigil.agent.jfr;

import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Registers every Vigil event class, once, when JFR starts: at once when Vigil starts its own
 * recording (option {@code jfr}), else from a {@link FlightRecorderListener} when anything else
 * initialises JFR ({@code -XX:StartFlightRecording}, {@code jcmd JFR.start}, the application). A JVM
 * that never records never initialises JFR for Vigil (that was 50-250 ms of every start-up).
 *
 * <p>No event class is touched before {@link #registered()}: on JDK 25 an event class first used
 * from advice inside a JDK lock during start-up kills the JVM ("Failure when starting JFR
 * on_create_vm_3", docs/dev-notes/architecture.md). Hooks reach events only through {@link LowLevelEvents}, whose
 * types stay null until registration, and {@link JfrSink} commits nothing before it.
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

    private static volatile boolean registered;

    /** True once every event class is registered: before that nothing may touch them. */
    public static boolean registered() {
        return registered;
    }

    /** Registers every event class; true when this call did it (false when done before). */
    public static synchronized boolean registerAll() {
        if (registered) {
            return false;
        }
        for (Class<? extends Event> c : ALL) {
            FlightRecorder.register(c);
        }
        LowLevelEvents.init();
        registered = true;
        return true;
    }

    /**
     * Registers the events when JFR is initialised (now, if it already is), then runs
     * {@code then} once; a failure goes to {@code onError}. Never initialises JFR itself.
     */
    public static void registerWhenJfrStarts(Runnable then, java.util.function.Consumer<Throwable> onError) {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                try {
                    if (registerAll()) {
                        then.run();
                    }
                } catch (Throwable t) {
                    onError.accept(t);
                }
            }
        });
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
