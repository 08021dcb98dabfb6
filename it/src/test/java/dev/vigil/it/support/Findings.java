package dev.vigil.it.support;

import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import java.util.List;

/** Small queries over a report's findings, for readable assertions. */
public final class Findings {

    private Findings() {
    }

    public static List<Finding> ofKind(Report report, String kind) {
        return report.findings().stream().filter(f -> f.kind().equals(kind)).toList();
    }

    /** The one finding of {@code kind}; fails with the whole list when there is not exactly one. */
    public static Finding single(Report report, String kind) {
        List<Finding> found = ofKind(report, kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " finding, got " + found.size() + ": "
                    + report.findings().stream().map(Finding::title).toList());
        }
        return found.get(0);
    }
}
