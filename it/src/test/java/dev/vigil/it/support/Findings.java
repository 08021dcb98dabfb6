package dev.vigil.it.support;

import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /** A cycle's edges, each as (where the held lock was taken, where the second was taken). */
    public static Set<List<String>> edgeLocations(Finding f) {
        Set<List<String>> out = new HashSet<>();
        for (int i = 0; i + 1 < f.sites().size(); i += 2) {
            out.add(List.of(f.sites().get(i).location(), f.sites().get(i + 1).location()));
        }
        return out;
    }

    /** Marked lines in file order, paired: (1st, 2nd), (3rd, 4th), ... */
    public static Set<List<String>> pairs(List<String> marked) {
        Set<List<String>> out = new HashSet<>();
        for (int i = 0; i + 1 < marked.size(); i += 2) {
            out.add(List.of(marked.get(i), marked.get(i + 1)));
        }
        return out;
    }
}
