package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One problem Vigil found.
 *
 * @param kind        one of {@link FindingKinds}; never renamed once released
 * @param fingerprint stable across runs for the same code sites: use it to suppress or baseline
 * @param title       one line for a list
 * @param message     what happened, with counts and names
 * @param howToFix    why it matters and what to change
 * @param threads     the threads involved, with their state at report time
 * @param sites       the code sites, each with its full stack
 * @param details     kind-specific facts (counts, reasons), flat and JSON-friendly
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(
        String kind,
        Severity severity,
        String fingerprint,
        String title,
        String message,
        String howToFix,
        List<ThreadRef> threads,
        List<Site> sites,
        Map<String, Object> details) {

    public Finding {
        threads = threads == null ? List.of() : List.copyOf(threads);
        sites = sites == null ? List.of() : List.copyOf(sites);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The location of the first site, the line a user goes to first. */
    public String primaryLocation() {
        return sites.isEmpty() ? null : sites.get(0).location();
    }
}
