package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * Written with every report and, as a periodic event at the end of every chunk, so that a
 * recording always ends with Vigil's latest findings even when the JVM's own shutdown stops the
 * recording before Vigil's shutdown hook runs.
 */
@Name(JfrNames.REPORT)
@Label("Vigil Report")
@Description("Vigil's findings were evaluated: counts, and the run and agent facts of the report")
@Category({"Vigil"})
@StackTrace(false)
@Period("endChunk")
final class ReportEvent extends jdk.jfr.Event {

    @Label("Trigger")
    @Description("exit, exit-blocked, periodic, chunk-end, ...")
    String trigger;

    @Label("Findings")
    int findings;

    @Label("Errors")
    int errors;

    @Label("Warnings")
    int warnings;

    @Label("Internal Errors")
    @Description("Errors inside Vigil; non-zero means findings may be incomplete")
    long internalErrors;

    @Label("Report Directory")
    String reportDirectory;

    @Label("Run (JSON)")
    String runJson;

    @Label("Agent (JSON)")
    String agentJson;
}
