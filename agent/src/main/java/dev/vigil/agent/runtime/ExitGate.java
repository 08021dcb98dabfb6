package dev.vigil.agent.runtime;

import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.report.ci.Gate;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.io.PrintStream;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The {@code failOn} gate: after the exit report is written, a run with findings at or above the
 * threshold ends with exit status {@link Gate#EXIT_CODE}.
 *
 * <p>A shutdown hook cannot change the status passed to {@code System.exit} (or the 0 of a normal
 * exit); only {@code Runtime.halt} can, and halt stops the JVM at once, hooks still running or
 * not. So the gate waits first (up to {@link #HOOK_WAIT_MILLIS}) for the other shutdown hooks
 * ({@link ShutdownHooks}), JFR's included, and
 * flushes stdout and stderr. {@code File.deleteOnExit} files are not deleted on a failed run.
 */
public final class ExitGate {

    static final long HOOK_WAIT_MILLIS = 10_000;

    private final Severity failOn;
    private final ShutdownHooks hooks;
    private final PrintStream console;
    private final IntConsumer halt;

    public ExitGate(Severity failOn, ThreadLedger ledger, PrintStream console, IntConsumer halt) {
        this.failOn = failOn;
        this.hooks = new ShutdownHooks(ledger);
        this.console = console;
        this.halt = halt;
    }

    /** Halts with the gate's status when {@code report} fails it; else returns. Never throws. */
    public void check(Report report) {
        if (failOn == null || report == null) {
            return;
        }
        try {
            judge(report);
        } catch (RuntimeException e) {
            console.println("vigil: the failOn gate could not judge the report (" + e + "); the exit status is left alone");
        }
    }

    private void judge(Report report) {
        List<Finding> failing = Gate.failing(report, failOn);
        if (failing.isEmpty()) {
            return;
        }
        console.println("vigil: failOn=" + failOn.label() + ": " + failing.size() + " finding"
                + (failing.size() == 1 ? "" : "s") + " at or above " + failOn.label()
                + (report.suppressed().isEmpty() ? "" : " (" + report.suppressed().size() + " suppressed or in the baseline)")
                + "; exit status " + Gate.EXIT_CODE);
        awaitOtherShutdownHooks();
        console.flush();
        System.out.flush();
        System.err.flush();
        halt.accept(Gate.EXIT_CODE);
    }

    private void awaitOtherShutdownHooks() {
        hooks.awaitAll(System.nanoTime() + HOOK_WAIT_MILLIS * 1_000_000);
    }
}
