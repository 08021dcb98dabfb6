package dev.vigil.agent.executors;

import dev.vigil.agent.report.ReportPublisher;
import dev.vigil.agent.report.AgentHealth;

/**
 * Vigil's own thread that looks, while the program runs, for waits on futures past
 * {@code stuckWait} and tasks running past {@code longTask}; a new finding writes the report at
 * once (the waiting process may be killed next), as the deadlock watch does.
 */
public final class ExecutorWatch implements Runnable {

    private final FutureWaitDetector waits;
    private final LongTaskDetector longTasks;
    private final ReportPublisher publisher;
    private final AgentHealth health;
    private final long periodMillis;

    public ExecutorWatch(FutureWaitDetector waits, LongTaskDetector longTasks, ReportPublisher publisher,
                         AgentHealth health) {
        this.waits = waits;
        this.longTasks = longTasks;
        this.publisher = publisher;
        this.health = health;
        this.periodMillis = period(waits.stuckMillis(), longTasks.longMillis());
    }

    /** Whether there is anything to watch (both thresholds can be off). */
    public boolean enabled() {
        return waits.stuckMillis() > 0 || longTasks.longMillis() > 0;
    }

    /** A quarter of the smaller threshold, between 10 ms and 1 s: a finding comes at most 25% late. */
    static long period(long stuckMillis, long longMillis) {
        long min = Long.MAX_VALUE;
        if (stuckMillis > 0) {
            min = stuckMillis;
        }
        if (longMillis > 0) {
            min = Math.min(min, longMillis);
        }
        return Math.max(10, Math.min(1_000, min / 4));
    }

    @Override
    public void run() {
        try {
            while (true) {
                Thread.sleep(periodMillis);
                try {
                    boolean stuck = waits.check();
                    boolean slow = longTasks.check();
                    if (stuck) {
                        publisher.publishUrgent("stuck-wait");
                    } else if (slow) {
                        publisher.publishUrgent("long-task");
                    }
                } catch (RuntimeException | LinkageError e) {
                    health.error("executor watch", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
