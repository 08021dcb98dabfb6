package dev.vigil.agent.executors;

/**
 * Looks, on the scheduler's thread while the program runs, for waits on futures past
 * {@code stuckWait} and tasks running past {@code longTask}; a new finding writes the report at
 * once (the waiting process may be killed next), as the deadlock watch does.
 */
public final class ExecutorWatch {

    private final FutureWaitDetector waits;
    private final LongTaskDetector longTasks;
    private final long periodMillis;

    public ExecutorWatch(FutureWaitDetector waits, LongTaskDetector longTasks) {
        this.waits = waits;
        this.longTasks = longTasks;
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

    /** How often {@link #tick} runs on the scheduler. */
    public long periodMillis() {
        return periodMillis;
    }

    /** One look: the trigger of an urgent report ({@code stuck-wait} first, then {@code long-task}), or null. */
    public String tick() {
        boolean stuck = waits.check();
        boolean slow = longTasks.check();
        return stuck ? "stuck-wait" : slow ? "long-task" : null;
    }
}
