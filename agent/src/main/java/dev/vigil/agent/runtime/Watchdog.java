package dev.vigil.agent.runtime;

import dev.vigil.agent.report.Phase;
import dev.vigil.agent.report.ReportPublisher;
import dev.vigil.agent.threads.ThreadEntry;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.agent.threads.ThreadOrigin;
import dev.vigil.report.model.Report;

/**
 * Vigil's daemon thread: writes reports when the JVM will not write them at exit.
 * <ul>
 *   <li>When {@code main} has returned and the JVM is still alive after {@code exitGrace}
 *       because non-daemon threads run on, the JVM may never exit and shutdown hooks may never
 *       run: write the report now, flagging those threads, and print the summary once.</li>
 *   <li>Every {@code interval} (when set), a periodic report, so a long-running service always
 *       has a recent one on disk.</li>
 * </ul>
 */
public final class Watchdog implements Runnable {

    private static final long TICK_MILLIS = 100;

    private final Thread mainThread;
    private final long exitGraceMillis;
    private final long intervalMillis;
    private final ThreadLedger ledger;
    private final ReportPublisher publisher;
    private volatile boolean shuttingDown;
    private volatile boolean exitBlocked;

    public Watchdog(Thread mainThread, long exitGraceMillis, long intervalMillis, ThreadLedger ledger,
                    ReportPublisher publisher) {
        this.mainThread = mainThread;
        this.exitGraceMillis = exitGraceMillis;
        this.intervalMillis = intervalMillis;
        this.ledger = ledger;
        this.publisher = publisher;
    }

    /** Called first thing by the shutdown hook: from now on the exit report is the one that counts. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    /** The phase a report written now, outside Vigil's own triggers, should judge in. */
    public Phase currentPhase() {
        if (shuttingDown || jvmShuttingDown()) {
            return Phase.EXITING;
        }
        return exitBlocked ? Phase.EXIT_BLOCKED : Phase.RUNNING;
    }

    /**
     * True once the JVM has begun to shut down, even if Vigil's own shutdown hook has not run yet
     * (hooks run concurrently; JFR's own hook may be the one asking).
     */
    public static boolean jvmShuttingDown() {
        Thread probe = new Thread(Watchdog::noop, "vigil-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static void noop() {
        // never runs
    }

    @Override
    public void run() {
        long mainEndedAt = 0;
        long nextPeriodic = intervalMillis > 0 ? System.currentTimeMillis() + intervalMillis : Long.MAX_VALUE;
        try {
            while (!shuttingDown) {
                Thread.sleep(TICK_MILLIS);
                long now = System.currentTimeMillis();
                if (shuttingDown) {
                    return;
                }
                if (mainThread != null && mainEndedAt == 0 && !mainThread.isAlive()) {
                    mainEndedAt = now;
                }
                if (mainEndedAt != 0 && !exitBlocked && now - mainEndedAt >= exitGraceMillis && nonDaemonAlive()) {
                    exitBlocked = true;
                    publisher.publish(Phase.EXIT_BLOCKED, true);
                }
                if (now >= nextPeriodic) {
                    publisher.publish(exitBlocked ? Phase.EXIT_BLOCKED : Phase.RUNNING, false);
                    nextPeriodic = now + intervalMillis;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean nonDaemonAlive() {
        for (ThreadEntry e : ledger.live()) {
            if (!e.daemon() && e.origin() != ThreadOrigin.VIGIL && e.origin() != ThreadOrigin.PRE_EXISTING) {
                return true;
            }
        }
        return false;
    }

    /**
     * Longest the exit report may delay the JVM's exit: after it, what the report has gathered is
     * written (issue 15: a JVM must never hang in Vigil's shutdown hook).
     */
    static final long EXIT_REPORT_BUDGET_MILLIS = 10_000;

    /** The shutdown hook: the final report. */
    public Report exitReport() {
        shuttingDown();
        AgentThreads threads = new AgentThreads(ledger);
        return publisher.publishWithin(Phase.EXITING, true, EXIT_REPORT_BUDGET_MILLIS,
                body -> AgentThreads.start(threads.newThread("vigil-exit-report-builder", body)));
    }
}
