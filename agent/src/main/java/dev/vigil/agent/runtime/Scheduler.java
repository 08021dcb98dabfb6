package dev.vigil.agent.runtime;

import dev.vigil.agent.findings.AgentHealth;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Vigil's one thread while the program runs ({@value #THREAD_NAME}): runs every periodic check,
 * one at a time, under one policy. A check that throws is
 * counted as an internal error and runs again at its next period; the others are not affected.
 * An {@link OutOfMemoryError} ends the loop and {@link AgentThreads#newLoop} starts it again a
 * second later, with every check's schedule kept. An interrupt from the application (a test
 * framework that interrupts every thread) is cleared and ignored.
 *
 * <p>Urgent reports are written here and nowhere else: a check returns the trigger of the report
 * its finding cannot wait for ({@code stuck-wait}, {@code deadlock}, ...), and one report is
 * written after the checks due together have run, with the first trigger.
 */
public final class Scheduler implements Runnable {

    public static final String THREAD_NAME = "vigil-scheduler";

    /** A periodic check: returns the trigger of an urgent report to write now, or null. */
    @FunctionalInterface
    public interface Check {
        String run();
    }

    /** Longest the thread parks with nothing due (only reached with no checks at all). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final class Task {
        final String what;
        final long periodNanos;
        final Check check;
        /** Read and written by the scheduler's thread only. */
        long due;
        volatile boolean woken;

        Task(String what, long periodNanos, Check check, long due) {
            this.what = what;
            this.periodNanos = periodNanos;
            this.check = check;
            this.due = due;
        }
    }

    private final List<Task> tasks = new CopyOnWriteArrayList<>();
    private final AgentHealth health;
    private final Consumer<String> urgent;
    private volatile Thread thread;
    private volatile boolean stopped;

    /** @param urgent writes an urgent report with the trigger it is given */
    public Scheduler(AgentHealth health, Consumer<String> urgent) {
        this.health = health;
        this.urgent = urgent;
    }

    /**
     * Runs {@code check} every {@code periodMillis} (at least 1 ms), the first time one period from
     * now. Returns what makes it run as soon as the thread is free: it never blocks and may be
     * called from any thread, application threads included.
     *
     * @param what named in the internal error counted when the check throws
     */
    public Runnable every(String what, long periodMillis, Check check) {
        long period = TimeUnit.MILLISECONDS.toNanos(Math.max(1, periodMillis));
        Task t = new Task(what, period, check, System.nanoTime() + period);
        tasks.add(t);
        LockSupport.unpark(thread); // the loop may be parked for longer than this period
        return () -> wake(t);
    }

    /** Ends the loop after the checks that are running (tests; a running JVM never stops it). */
    public void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    private void wake(Task t) {
        t.woken = true;
        LockSupport.unpark(thread); // null before the thread runs: a no-op, and the loop looks first
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (!stopped) {
            Thread.interrupted();
            long now = System.nanoTime();
            long next = now + IDLE_NANOS;
            String trigger = null;
            for (Task t : tasks) {
                if (t.woken || now - t.due >= 0) {
                    t.woken = false;
                    t.due = now + t.periodNanos;
                    String fired = runCheck(t);
                    trigger = trigger == null ? fired : trigger;
                }
                if (t.due - next < 0) {
                    next = t.due;
                }
            }
            if (trigger != null) {
                publish(trigger);
            }
            long wait = next - System.nanoTime();
            if (wait > 0 && !stopped) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    private String runCheck(Task t) {
        try {
            return t.check.run();
        } catch (OutOfMemoryError e) {
            throw e; // AgentThreads sheds Vigil's state and starts the loop again
        } catch (Throwable e) {
            health.error(t.what, e);
            return null;
        }
    }

    private void publish(String trigger) {
        try {
            urgent.accept(trigger);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            health.error("writing the urgent report (" + trigger + ")", e);
        }
    }
}
