package dev.vigil.agent.report;

import dev.vigil.report.html.HtmlReport;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
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

    public ReportPublisher(ReportBuilder builder, Path dir, AgentHealth health, PrintStream console, boolean summary) {
        this.builder = builder;
        this.json = dir.resolve(ReportJson.FILE_NAME);
        this.html = dir.resolve(HtmlReport.FILE_NAME);
        this.health = health;
        this.console = console;
        this.summary = summary;
    }

    /** Builds and writes a report; never throws. Returns it, or null when it could not be built. */
    public synchronized Report publish(Phase phase, boolean printSummary) {
        Report report;
        try {
            report = builder.build(phase);
        } catch (Throwable t) {
            health.error("building the report", t);
            console.println("vigil: could not build the report: " + t);
            return null;
        }
        try {
            ReportJson.writeAtomically(report, json);
        } catch (Throwable t) {
            health.error("writing " + json, t);
            console.println("vigil: could not write " + json + ": " + t);
        }
        try {
            HtmlReport.writeAtomically(report, html);
        } catch (Throwable t) {
            health.error("writing " + html, t);
            console.println("vigil: could not write " + html + ": " + t);
        }
        if (summary && printSummary) {
            for (String line : ConsoleSummary.lines(report, json, html)) {
                console.println(line);
            }
            console.flush();
        }
        return report;
    }

    public Path jsonFile() {
        return json;
    }
}
