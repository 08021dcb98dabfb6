package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A finding left out of {@code findings} because a suppression rule or the baseline matched it.
 * Kept in the report so that nothing disappears silently.
 *
 * @param reason {@code baseline}, or the suppression rule that matched, e.g.
 *               {@code suppressions.txt:3: kind queue-growth}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuppressedFinding(String kind, Severity severity, String fingerprint, String title, String location,
                                String reason) {

    public static SuppressedFinding of(Finding f, String reason) {
        return new SuppressedFinding(f.kind(), f.severity(), f.fingerprint(), f.title(), f.primaryLocation(), reason);
    }
}
