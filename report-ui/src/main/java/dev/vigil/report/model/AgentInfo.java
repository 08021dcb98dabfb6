package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health of the agent itself. A user trusts a clean report only when this says the hooks
 * were in place and nothing went wrong inside the agent.
 *
 * @param internalErrors    errors inside Vigil's hooks and trackers; the host never saw them
 * @param errorSamples      the first few of those errors and instrumentation failures
 * @param instrumented      the types Vigil rewrote, the first 200 by name (JDK classes first)
 * @param selfTest          {@code passed}, or what failed
 * @param hooksClassLoader  {@code bootstrap} when the hook classes sit where JDK code can see them
 * @param truncated         what was dropped to keep memory bounded, by counter name
 * @param classes           class counts: {@code rewritten} (a retransformation counts again) and
 *                          {@code scannedUnchanged} (application classes with nothing to instrument)
 * @param memory            the agent's memory budget, its estimate of what it holds, pressure events and
 *                          the records shed, by store (docs/report-schema.md)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentInfo(
        String version,
        long internalErrors,
        List<String> errorSamples,
        List<String> instrumented,
        String selfTest,
        String hooksClassLoader,
        Map<String, Long> truncated,
        Map<String, Long> classes,
        Map<String, Long> memory) {

    /** A report of a version before {@code memory}. */
    public AgentInfo(String version, long internalErrors, List<String> errorSamples, List<String> instrumented,
                     String selfTest, String hooksClassLoader, Map<String, Long> truncated, Map<String, Long> classes) {
        this(version, internalErrors, errorSamples, instrumented, selfTest, hooksClassLoader, truncated, classes, null);
    }

    /** A report of a version before {@code classes}. */
    public AgentInfo(String version, long internalErrors, List<String> errorSamples, List<String> instrumented,
                     String selfTest, String hooksClassLoader, Map<String, Long> truncated) {
        this(version, internalErrors, errorSamples, instrumented, selfTest, hooksClassLoader, truncated, null, null);
    }

    public AgentInfo {
        memory = memory == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(memory));
        classes = classes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classes));
        errorSamples = errorSamples == null ? List.of() : List.copyOf(errorSamples);
        instrumented = instrumented == null ? List.of() : List.copyOf(instrumented);
        truncated = truncated == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(truncated));
    }
}
