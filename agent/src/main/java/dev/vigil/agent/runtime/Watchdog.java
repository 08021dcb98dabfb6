package dev.vigil.agent.runtime;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.report.ReportPublisher;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.report.model.Report;

/**
 * Writes reports (on the {@link Scheduler}'s thread) when the JVM will not write them at exit.
 * <ul>
 *   <li>When {@code main} has returned and, after {@code exitGrace}, non-daemon threads keep the
 *       JVM alive, it watches them ({@link Quiescence}): a service serving or threads still working
 *       are no finding; when every one of them waits for ever and nothing else moves, the JVM
 *       cannot exit and its shutdown hooks will never run: it writes the report then, flagging
 *       those threads, and prints the summary once.</li>
 *   <li>Every {@code interval} (when set), a periodic report, so a long-running service always
 *       has a recent one on disk.</li>
 * </ul>
 */
public final class Watchdog {

    /** After a window that saw the program move, the next one starts this much later. */
    private static final long RESAMPLE_MILLIS = 1_000;

    private final Thread mainThread;
    private final long exitGraceMillis;
    private final long intervalMillis;
    private final ReportPublisher publisher;
    private final Quiescence quiescence;
    private final ShutdownHooks hooks;
    private final AgentHealth health;
    /** Makes the thread that builds the exit report (marked as Vigil's, never tracked). */
    private final AgentThreads threads;
    private volatile boolean shuttingDown;
    private volatile long shutdownStartedMillis;
    private volatile boolean exitBlocked;
    /** True once the application's shutdown hooks have ended (or the wait for them ran out). */
    private volatile boolean exitJudged;

    public Watchdog(Thread mainThread, long exitGraceMillis, long intervalMillis, ThreadLedger ledger,
                    ReportPublisher publisher, AgentHealth health) {
        this.mainThread = mainThread;
        this.exitGraceMillis = exitGraceMillis;
        this.intervalMillis = intervalMillis;
        this.publisher = publisher;
        this.quiescence = new Quiescence(ledger);
        this.hooks = new ShutdownHooks(ledger);
        this.health = health;
        this.threads = new AgentThreads(ledger);
    }

    /** Called first thing by the shutdown hook: from now on the exit report is the one that counts. */
    public void shuttingDown() {
        if (shutdownStartedMillis == 0) {
            shutdownStartedMillis = System.currentTimeMillis();
        }
        shuttingDown = true;
    }

    /** When Vigil's shutdown hook began (the JVM's shutdown, to a few ms), or 0 while the JVM runs. */
    public long shutdownStartedMillis() {
        return shutdownStartedMillis;
    }

    /**
     * The phase a report written now, outside Vigil's own triggers, should judge in. While the JVM
     * shuts down but the application's hooks still run, the exit is not judged yet: what they are
     * closing is not "never shut down", so such a report judges as the program runs.
     */
    public Phase currentPhase() {
        if (exitJudged) {
            return Phase.EXITING;
        }
        if (shuttingDown || dev.vigil.agent.util.JvmShutdown.begun()) {
            return Phase.RUNNING;
        }
        return exitBlocked ? Phase.EXIT_BLOCKED : Phase.RUNNING;
    }

    /**
     * The JVM exits: waits (bounded, {@link ShutdownHooks}) for the application's shutdown hooks to
     * end; from then on reports judge the exit. Called by Vigil's hook and by JFR's end of chunk.
     */
    public void awaitExit() {
        shuttingDown();
        hooks.awaitApplicationHooks();
        exitJudged = true;
    }

    /** How often {@link #tick} runs on the scheduler. */
    public static final long TICK_MILLIS = 100;

    private long mainEndedAt;
    private boolean blockedReported;
    private long nextSample;
    private long nextPeriodic = Long.MIN_VALUE;

    /** One look, every {@link #TICK_MILLIS} on the scheduler's thread; never an urgent trigger. */
    public String tick() {
        long now = System.currentTimeMillis();
        if (nextPeriodic == Long.MIN_VALUE) {
            nextPeriodic = intervalMillis > 0 ? now + intervalMillis : Long.MAX_VALUE;
        }
        if (shuttingDown) {
            return null; // from now on the exit report is the one that counts
        }
        if (mainThread != null && mainEndedAt == 0 && !mainThread.isAlive()) {
            mainEndedAt = now;
        }
        if (mainEndedAt != 0 && now - mainEndedAt >= exitGraceMillis && now >= nextSample) {
            Quiescence.Verdict v = verdict();
            // Decided (a service moves on every window, a hung program stays stuck): look
            // again in a second, not at every tick; a window being sampled goes on.
            nextSample = v == Quiescence.Verdict.UNDECIDED ? 0 : now + RESAMPLE_MILLIS;
            if (v == Quiescence.Verdict.STUCK && !exitBlocked) {
                exitBlocked = true;
                if (!blockedReported) {
                    blockedReported = true;
                    publisher.publish(Phase.EXIT_BLOCKED, true);
                }
            } else if (v == Quiescence.Verdict.MOVING || v == Quiescence.Verdict.NONE) {
                exitBlocked = false; // woken (a signal, an operator's JMX call): it moves again
            }
        }
        if (now >= nextPeriodic) {
            publisher.publish(exitBlocked ? Phase.EXIT_BLOCKED : Phase.RUNNING, false);
            nextPeriodic = now + intervalMillis;
        }
        return null;
    }

    /** Vigil's MBean is registered (or failed to be): the JVM's management may be used from now on. */
    public void managementReady() {
        quiescence.managementReady();
    }

    /** A sample that failed (an internal error) counts as movement: no finding, and the watchdog goes on. */
    private Quiescence.Verdict verdict() {
        try {
            return quiescence.sample();
        } catch (RuntimeException | LinkageError e) {
            health.error("watching the threads left after main returned", e);
            return Quiescence.Verdict.MOVING;
        }
    }

    /**
     * Longest the exit report may take once the application's hooks have ended (or the wait for
     * them ran out): after it, what the report has gathered is written (issue 15: a JVM must never
     * hang in Vigil's shutdown hook).
     */
    static final long EXIT_REPORT_BUDGET_MILLIS = 10_000;

    /** The shutdown hook: the final report, judged once the application's own hooks have ended. */
    public Report exitReport() {
        awaitExit();
        return publisher.publishWithin(Phase.EXITING, true, EXIT_REPORT_BUDGET_MILLIS,
                body -> AgentThreads.start(threads.newThread("vigil-exit-report-builder", body)));
    }
}
