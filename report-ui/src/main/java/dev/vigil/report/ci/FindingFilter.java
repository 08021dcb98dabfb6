package dev.vigil.report.ci;

import dev.vigil.report.model.Finding;
import dev.vigil.report.model.SuppressedFinding;
import java.util.ArrayList;
import java.util.List;

/** Splits findings into those that count and those a suppression rule or the baseline covers. */
public final class FindingFilter {

    /** The result: {@code kept} go on to every sink and the gate; {@code suppressed} are listed apart. */
    public record Split(List<Finding> kept, List<SuppressedFinding> suppressed) {
    }

    private final Suppressions suppressions;
    private final Baseline baseline;

    public FindingFilter(Suppressions suppressions, Baseline baseline) {
        this.suppressions = suppressions;
        this.baseline = baseline;
    }

    public static FindingFilter none() {
        return new FindingFilter(Suppressions.none(), Baseline.none());
    }

    public Split apply(List<Finding> findings) {
        List<Finding> kept = new ArrayList<>(findings.size());
        List<SuppressedFinding> suppressed = new ArrayList<>();
        for (Finding f : findings) {
            String rule = suppressions.match(f);
            if (rule != null) {
                suppressed.add(SuppressedFinding.of(f, rule));
            } else if (baseline.contains(f)) {
                suppressed.add(SuppressedFinding.of(f, "baseline"));
            } else {
                kept.add(f);
            }
        }
        return new Split(kept, suppressed);
    }
}
