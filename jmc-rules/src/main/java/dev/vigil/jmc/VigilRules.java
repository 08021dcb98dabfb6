package dev.vigil.jmc;

/** One rule per Vigil finding kind: JMC instantiates rules through ServiceLoader, without arguments. */
public final class VigilRules {

    private VigilRules() {
    }

    public static final class ThreadLeakRule extends VigilFindingRule {
        public ThreadLeakRule() {
            super("vigil.ThreadLeak", "thread-leak", "Vigil: thread leaks");
        }
    }

    public static final class ExecutorLeakRule extends VigilFindingRule {
        public ExecutorLeakRule() {
            super("vigil.ExecutorLeak", "executor-leak", "Vigil: executor leaks");
        }
    }

    public static final class TaskLeakRule extends VigilFindingRule {
        public TaskLeakRule() {
            super("vigil.TaskLeak", "task-leak", "Vigil: task leaks");
        }
    }

    public static final class UnobservedFailureRule extends VigilFindingRule {
        public UnobservedFailureRule() {
            super("vigil.UnobservedFailure", "unobserved-failure", "Vigil: unobserved failures");
        }
    }

    public static final class FutureNeverCompletedRule extends VigilFindingRule {
        public FutureNeverCompletedRule() {
            super("vigil.FutureNeverCompleted", "future-never-completed", "Vigil: futures never completed");
        }
    }

    public static final class LockOrderCycleRule extends VigilFindingRule {
        public LockOrderCycleRule() {
            super("vigil.LockOrderCycle", "lock-order-cycle", "Vigil: lock-order cycles");
        }
    }

    public static final class DeadlockRule extends VigilFindingRule {
        public DeadlockRule() {
            super("vigil.Deadlock", "deadlock", "Vigil: deadlocks");
        }
    }

    public static final class PermitLeakRule extends VigilFindingRule {
        public PermitLeakRule() {
            super("vigil.PermitLeak", "permit-leak", "Vigil: permit leaks");
        }
    }

    public static final class LockHeldByDeadThreadRule extends VigilFindingRule {
        public LockHeldByDeadThreadRule() {
            super("vigil.LockHeldByDeadThread", "lock-held-by-dead-thread", "Vigil: locks held by dead threads");
        }
    }

    public static final class StuckWaitRule extends VigilFindingRule {
        public StuckWaitRule() {
            super("vigil.StuckWait", "stuck-wait", "Vigil: stuck waits");
        }
    }

    public static final class QueueOrphanRule extends VigilFindingRule {
        public QueueOrphanRule() {
            super("vigil.QueueOrphan", "queue-orphan", "Vigil: orphaned queues");
        }
    }

    public static final class QueueGrowthRule extends VigilFindingRule {
        public QueueGrowthRule() {
            super("vigil.QueueGrowth", "queue-growth", "Vigil: growing queues");
        }
    }

    public static final class TimerPileUpRule extends VigilFindingRule {
        public TimerPileUpRule() {
            super("vigil.TimerPileUp", "timer-pile-up", "Vigil: timer pile-ups");
        }
    }
}
