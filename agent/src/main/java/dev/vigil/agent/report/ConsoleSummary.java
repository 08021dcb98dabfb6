package dev.vigil.agent.report;

import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The short summary on stderr: one line per finding, then where the full report is. */
public final class ConsoleSummary {

    private ConsoleSummary() {
    }

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
                out.add("vigil: " + f.severity().label().toUpperCase(Locale.ROOT) + " " + f.kind() + ": " + f.title());
            }
        }
        out.add("vigil: report " + json + (html == null ? "" : " and " + html));
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
            sb.append("; self-test: ").append(report.agent().selfTest());
        }
        return sb.toString();
    }
}
