package dev.vigil.agent.report;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Phase;

import dev.vigil.agent.jfr.AgentRecording;
import dev.vigil.agent.jfr.JfrSink;
import dev.vigil.report.html.HtmlReport;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
import dev.vigil.report.text.Terminal;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Writes a report to every sink: the JSON and HTML files (each replaced atomically) and, when
 * asked, the summary on stderr. Serialised: two triggers never write at once.
 */
public final class ReportPublisher {

    private final ReportBuilder builder;
    private final Path json;
    private final Path html;
    private final AgentHealth health;
    private final PrintStream console;
    private final boolean summary;
    private final Path dir;
    private final JfrSink jfr;
    private volatile AgentRecording recording;
    /** Why the last report's JSON file could not be written; null when it was. */
    private volatile String jsonFailure;
    /** The phase an urgent report judges in (the watchdog's: a hung exit stays reported). */
    private volatile java.util.function.Supplier<Phase> phaseNow = () -> Phase.RUNNING;

    public ReportPublisher(ReportBuilder builder, Path dir, AgentHealth health, PrintStream console, boolean summary,
                           JfrSink jfr) {
        this.builder = builder;
        this.dir = dir;
        this.jfr = jfr;
        this.json = dir.resolve(ReportJson.FILE_NAME);
        this.html = dir.resolve(HtmlReport.FILE_NAME);
        this.health = health;
        this.console = console;
        this.summary = summary;
    }

    /** Builds and writes a report; never throws. Returns it, or null when it could not be built. */
    public Report publish(Phase phase, boolean printSummary) {
        return publish(phase, phase.trigger(), printSummary);
    }

    /**
     * A report that cannot wait (a deadlock: the process is likely to be killed next): written at
     * once with {@code trigger} in {@code run.trigger}, summary printed, Vigil's own JFR recording
     * dumped to its file.
     */
    public Report publishUrgent(String trigger) {
        Report r = publish(urgentPhase(), trigger, true);
        flushRecording();
        return r;
    }

    /**
     * Where urgent reports take their phase from. A report written after the program was found
     * unable to exit still says so: the latest file is the one a user opens.
     */
    public void phaseFrom(java.util.function.Supplier<Phase> phase) {
        this.phaseNow = phase;
    }

    private Phase urgentPhase() {
        try {
            Phase p = phaseNow.get();
            return p == null ? Phase.RUNNING : p;
        } catch (RuntimeException e) {
            health.error("reading the phase of an urgent report", e);
            return Phase.RUNNING;
        }
    }

    /** As {@link #publish(Phase, boolean)}, labelled {@code trigger} (e.g. {@code on-demand}). */
    public Report publish(Phase phase, String trigger, boolean printSummary) {
        return publish(phase, trigger, printSummary, new ReportBuilder.Progress());
    }

    private synchronized Report publish(Phase phase, String trigger, boolean printSummary,
                                        ReportBuilder.Progress progress) {
        Report report;
        try {
            report = builder.build(phase, trigger, progress);
        } catch (Throwable t) {
            health.error("building the report", t);
            console.println("vigil: could not build the report: " + Terminal.safe(t));
            return null;
        }
        if (progress.claim()) {
            write(report, printSummary);
        }
        return report;
    }

    /** How long a build that finished at the deadline is given to write its report. */
    private static final long WRITE_GRACE_MILLIS = 2_000;

    /**
     * As {@link #publish(Phase, boolean)}, but never longer than {@code budgetMillis}: the JVM's
     * exit must not wait on the report (issue 15). The report is built on a thread that
     * {@code startThread} makes and starts; if it has not finished in time (something it reads
     * is blocked, or the machine is very slow) what it had gathered is written instead, and the
     * part it was in is named in the agent's error samples. The builder thread is a daemon and
     * is left behind.
     */
    public Report publishWithin(Phase phase, boolean printSummary, long budgetMillis,
                                java.util.function.Consumer<Runnable> startThread) {
        ReportBuilder.Progress progress = new ReportBuilder.Progress();
        java.util.concurrent.CompletableFuture<Report> built = new java.util.concurrent.CompletableFuture<>();
        try {
            startThread.accept(() -> {
                try {
                    built.complete(publish(phase, phase.trigger(), printSummary, progress));
                } catch (Throwable t) {
                    built.completeExceptionally(t);
                }
            });
            return built.get(budgetMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!progress.claim()) {
                // The build finished just now and is writing its whole report: let it (files, bounded).
                try {
                    return built.get(WRITE_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Throwable late) {
                    return null;
                }
            }
            // From here a late finish writes nothing over the report written now.
            String part = progress.part();
            health.error("the " + phase.trigger() + " report", new java.util.concurrent.TimeoutException(
                    "not finished within " + budgetMillis + " ms (still in " + (part == null ? "writing" : part)
                            + "): written with what it had"));
            Report partial;
            try {
                partial = builder.assemble(phase.trigger(), progress);
            } catch (Throwable t) {
                health.error("building the report", t);
                return null;
            }
            write(partial, printSummary);
            return partial;
        } catch (Throwable t) {
            health.error("building the report", t);
            return null;
        }
    }

    /** Writes {@code report} to every sink; never throws. Not synchronized: a cut-short report must not wait. */
    private void write(Report report, boolean printSummary) {
        emitJfr(report);
        // The page first: whoever sees a new JSON report (a test, a tool polling the directory) finds
        // the page of that report, or of a newer one, already in place.
        boolean htmlWritten = write(html, () -> HtmlReport.writeAtomically(report, html));
        boolean jsonWritten = write(json, () -> ReportJson.writeAtomically(report, json));
        jsonFailure = jsonWritten ? null : lastFailure;
        if (summary && printSummary) {
            // Names only the files that were written: a full disk never leaves a stale file named as this report.
            for (String line : ConsoleSummary.lines(report, jsonWritten ? json : null, htmlWritten ? html : null)) {
                console.println(line);
            }
            console.flush();
        }
    }

    private String lastFailure;

    private boolean write(Path file, FileWrite write) {
        try {
            write.run();
            return true;
        } catch (Throwable t) {
            health.error("writing " + file, t);
            lastFailure = "could not write " + file + ": " + t;
            console.println("vigil: " + Terminal.safe(lastFailure));
            return false;
        }
    }

    /**
     * Why the JSON file of the last report could not be written, or null when it was. Read it in
     * a block synchronized on this publisher, with the {@code publish} it follows.
     */
    public String jsonFailure() {
        return jsonFailure;
    }

    @FunctionalInterface
    private interface FileWrite {
        void run() throws java.io.IOException;
    }

    /** Commits the report's findings as JFR events (no-op without a recording); never throws. */
    public void emitJfr(Report report) {
        try {
            jfr.emit(report, dir);
        } catch (Throwable t) {
            health.error("committing JFR events", t);
        }
    }

    /** The recording Vigil started itself ({@code jfr} option), to flush on urgent reports. */
    public void recording(AgentRecording r) {
        this.recording = r;
    }

    /** Dumps Vigil's own recording now (after a deadlock: the process may be killed next). */
    public void flushRecording() {
        AgentRecording r = recording;
        if (r == null) {
            return;
        }
        try {
            r.dumpNow();
        } catch (Throwable t) {
            health.error("dumping the JFR recording to " + r.destination(), t);
        }
    }

    public ReportBuilder builder() {
        return builder;
    }

    public Path jsonFile() {
        return json;
    }
}
