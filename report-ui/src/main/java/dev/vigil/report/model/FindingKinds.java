package dev.vigil.report.model;

import java.util.List;

/** The {@code kind} values of findings. Part of the public contract: add, never rename. */
public final class FindingKinds {

    private FindingKinds() {
    }

    public static final String THREAD_LEAK = "thread-leak";
    public static final String EXECUTOR_LEAK = "executor-leak";
    public static final String TASK_LEAK = "task-leak";
    public static final String UNOBSERVED_FAILURE = "unobserved-failure";
    public static final String FUTURE_NEVER_COMPLETED = "future-never-completed";
    public static final String LOCK_ORDER_CYCLE = "lock-order-cycle";
    public static final String DEADLOCK = "deadlock";
    public static final String PERMIT_LEAK = "permit-leak";
    public static final String LOCK_HELD_BY_DEAD_THREAD = "lock-held-by-dead-thread";
    public static final String STUCK_WAIT = "stuck-wait";
    public static final String QUEUE_ORPHAN = "queue-orphan";
    public static final String QUEUE_GROWTH = "queue-growth";
    public static final String TIMER_PILE_UP = "timer-pile-up";

    public static final List<String> ALL = List.of(
            THREAD_LEAK, EXECUTOR_LEAK, TASK_LEAK, UNOBSERVED_FAILURE, FUTURE_NEVER_COMPLETED,
            LOCK_ORDER_CYCLE, DEADLOCK, PERMIT_LEAK, LOCK_HELD_BY_DEAD_THREAD, STUCK_WAIT,
            QUEUE_ORPHAN, QUEUE_GROWTH, TIMER_PILE_UP);
}
