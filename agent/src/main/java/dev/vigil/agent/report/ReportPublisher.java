package dev.vigil.agent.report;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ReportSink;

import dev.vigil.agent.jfr.AgentRecording;
import dev.vigil.agent.jfr.JfrSink;
import dev.vigil.report.model.Report;
import dev.vigil.report.text.Terminal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes each report to its sinks in order ({@link #standardSinks}: JFR events, the HTML page, the
 * JSON file, the summary on stderr); a sink that fails is counted and the others still run.
 * Serialised: two triggers never write at once.
 */
public final class ReportPublisher {

    private final ReportBuilder builder;
    private final AgentHealth health;
    private final PrintStream console;
    private final List<ReportSink> sinks;
    private final Path json;
    private volatile AgentRecording recording;
    /** Why the last report's JSON file could not be written; null when it was. */
    private volatile String jsonFailure;
    /** The phase an urgent report judges in (the watchdog's: a hung exit stays reported). */
    private volatile java.util.function.Supplier<Phase> phaseNow = () -> Phase.RUNNING;

    /** {@code console}: where a sink's failure is said; {@code sinks} in the order they are written. */
    public ReportPublisher(ReportBuilder builder, AgentHealth health, PrintStream console, List<ReportSink> sinks) {
        this.builder = builder;
        this.health = health;
        this.console = console;
        this.sinks = List.copyOf(sinks);
        Path jsonFile = null;
        for (ReportSink s : this.sinks) {
            if (s.kind().equals("json")) {
                jsonFile = s.file();
            }
        }
        this.json = jsonFile;
    }

    /**
     * The agent's sinks, in order: JFR events; the page before the JSON file, so that whoever sees
     * a new JSON report (a test, a tool polling the directory) finds the page of that report, or of
     * a newer one, already in place; the summary last, naming only the files written.
     */
    public static List<ReportSink> standardSinks(Path dir, PrintStream console, boolean summary, JfrSink jfr) {
        List<ReportSink> out = new ArrayList<>();
        out.add(jfr);
        out.add(FileSink.html(dir));
        out.add(FileSink.json(dir));
        if (summary) {
            out.add(new ConsoleSink(console));
        }
        return out;
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
        ReportSink.Pass pass = new ReportSink.Pass(printSummary);
        for (ReportSink sink : sinks) {
            write(sink, report, pass);
        }
        jsonFailure = pass.failure("json");
    }

    private void write(ReportSink sink, Report report, ReportSink.Pass pass) {
        try {
            sink.write(report, pass);
        } catch (Throwable t) {
            health.error(sink.describe(), t);
            if (sink.file() != null) {
                String why = "could not write " + sink.file() + ": " + t;
                pass.failed(sink.kind(), why);
                console.println("vigil: " + Terminal.safe(why));
            }
        }
    }

    /**
     * Why the JSON file of the last report could not be written, or null when it was. Read it in
     * a block synchronized on this publisher, with the {@code publish} it follows.
     */
    public String jsonFailure() {
        return jsonFailure;
    }

    /** Commits the report's findings as JFR events (no-op without a recording); never throws. */
    public void emitJfr(Report report) {
        for (ReportSink sink : sinks) {
            if (sink.kind().equals("jfr")) {
                write(sink, report, new ReportSink.Pass(false));
            }
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
