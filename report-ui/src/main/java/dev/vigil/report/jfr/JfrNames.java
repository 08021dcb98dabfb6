package dev.vigil.report.jfr;

import dev.vigil.report.model.FindingKinds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names of Vigil's JFR events and fields, shared by the agent (which writes them) and the
 * recording reader (which rebuilds reports from them). Documented in {@code docs/jfr.md}.
 */
public final class JfrNames {

    private JfrNames() {
    }

    public static final String PREFIX = "vigil.";

    public static final String THREAD_LEAK = "vigil.ThreadLeak";
    public static final String EXECUTOR_LEAK = "vigil.ExecutorLeak";
    public static final String TASK_LEAK = "vigil.TaskLeak";
    public static final String UNOBSERVED_FAILURE = "vigil.UnobservedFailure";
    public static final String FUTURE_NEVER_COMPLETED = "vigil.FutureNeverCompleted";
    public static final String LOCK_ORDER_CYCLE = "vigil.LockOrderCycle";
    public static final String DEADLOCK = "vigil.Deadlock";
    public static final String PERMIT_LEAK = "vigil.PermitLeak";
    public static final String LOCK_HELD_BY_DEAD_THREAD = "vigil.LockHeldByDeadThread";
    public static final String STUCK_WAIT = "vigil.StuckWait";
    public static final String QUEUE_ORPHAN = "vigil.QueueOrphan";
    public static final String QUEUE_GROWTH = "vigil.QueueGrowth";
    public static final String TIMER_PILE_UP = "vigil.TimerPileUp";

    /** One per report Vigil writes, and at the end of every chunk: run and agent facts. */
    public static final String REPORT = "vigil.Report";
    /** Low-level, off by default. */
    public static final String THREAD_START = "vigil.ThreadStart";
    public static final String THREAD_END = "vigil.ThreadEnd";
    public static final String TASK_SUBMIT = "vigil.TaskSubmit";
    public static final String TASK_END = "vigil.TaskEnd";
    public static final String QUEUE_PUT = "vigil.QueuePut";
    public static final String QUEUE_TAKE = "vigil.QueueTake";
    public static final String LOCK_ORDER_EDGE = "vigil.LockOrderEdge";
    public static final String PERMIT_ACQUIRE = "vigil.PermitAcquire";
    public static final String PERMIT_RELEASE = "vigil.PermitRelease";

    /** Field holding the whole finding as JSON, exactly as in {@code vigil-report.json}. */
    public static final String FINDING_JSON = "findingJson";
    public static final String RUN_JSON = "runJson";
    public static final String AGENT_JSON = "agentJson";
    public static final String EDGE_INDEX = "edgeIndex";

    /** Finding kind to event name. */
    public static final Map<String, String> EVENT_OF_KIND;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FindingKinds.THREAD_LEAK, THREAD_LEAK);
        m.put(FindingKinds.EXECUTOR_LEAK, EXECUTOR_LEAK);
        m.put(FindingKinds.TASK_LEAK, TASK_LEAK);
        m.put(FindingKinds.UNOBSERVED_FAILURE, UNOBSERVED_FAILURE);
        m.put(FindingKinds.FUTURE_NEVER_COMPLETED, FUTURE_NEVER_COMPLETED);
        m.put(FindingKinds.LOCK_ORDER_CYCLE, LOCK_ORDER_CYCLE);
        m.put(FindingKinds.DEADLOCK, DEADLOCK);
        m.put(FindingKinds.PERMIT_LEAK, PERMIT_LEAK);
        m.put(FindingKinds.LOCK_HELD_BY_DEAD_THREAD, LOCK_HELD_BY_DEAD_THREAD);
        m.put(FindingKinds.STUCK_WAIT, STUCK_WAIT);
        m.put(FindingKinds.QUEUE_ORPHAN, QUEUE_ORPHAN);
        m.put(FindingKinds.QUEUE_GROWTH, QUEUE_GROWTH);
        m.put(FindingKinds.TIMER_PILE_UP, TIMER_PILE_UP);
        EVENT_OF_KIND = java.util.Collections.unmodifiableMap(m);
    }
}
