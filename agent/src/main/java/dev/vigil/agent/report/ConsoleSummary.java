package dev.vigil.agent.report;

import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.text.Terminal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The short summary on stderr: one line per finding, then where the full report is. Every string
 * in it that can come from the program (titles name threads, exceptions, queues) goes through
 * {@link Terminal#safe}: one finding is one line, and nothing reaches the terminal as a control.
 */
public final class ConsoleSummary {

    private ConsoleSummary() {
    }

    /**
     * The summary lines; {@code json} and {@code html} are the report files that were written
     * (null for one that was not): the last line names only those.
     */
    public static List<String> lines(Report report, Path json, Path html) {
        List<String> out = new ArrayList<>();
        List<Finding> findings = new ArrayList<>(report.findings());
        findings.sort(Report.SEVERITY_ORDER);
        if (findings.isEmpty()) {
            out.add("vigil: no findings" + health(report));
        } else {
            out.add("vigil: " + findings.size() + (findings.size() == 1 ? " finding" : " findings") + " ("
                    + report.count(Severity.ERROR) + " error, " + report.count(Severity.WARNING) + " warning, "
                    + report.count(Severity.INFO) + " info)" + health(report));
            for (Finding f : findings) {
                out.add("vigil: " + f.severity().label().toUpperCase(Locale.ROOT) + " " + Terminal.safe(f.kind()) + ": "
                        + Terminal.safe(f.title()));
            }
        }
        if (json != null || html != null) {
            out.add("vigil: report " + (json == null ? Terminal.safe(html)
                    : Terminal.safe(json) + (html == null ? "" : " and " + Terminal.safe(html))));
        } else {
            out.add("vigil: no report file was written (see the errors above)");
        }
        return out;
    }

    private static String health(Report report) {
        if (report.agent() == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (report.agent().internalErrors() > 0) {
            sb.append("; ").append(report.agent().internalErrors()).append(" internal errors in Vigil (see report)");
        }
        if (!"passed".equals(report.agent().selfTest())) {
            sb.append("; self-test: ").append(Terminal.safe(report.agent().selfTest()));
        }
        return sb.toString();
    }
}
