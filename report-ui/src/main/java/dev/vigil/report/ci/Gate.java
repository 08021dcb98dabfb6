package dev.vigil.report.ci;

import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.util.List;

/**
 * The CI gate: a run fails when it has findings at or above a severity (suppressed and baselined
 * findings are not in {@code findings} and never count).
 */
public final class Gate {

    /** The exit status of a JVM that the gate failed (documented in docs/ci.md). */
    public static final int EXIT_CODE = 3;

    private Gate() {
    }

    public static boolean atOrAbove(Severity s, Severity threshold) {
        return s.ordinal() <= threshold.ordinal();
    }

    /** The findings that fail the gate, most severe first. */
    public static List<Finding> failing(Report report, Severity threshold) {
        return report.findings().stream().filter(f -> atOrAbove(f.severity(), threshold)).toList();
    }
}
