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
 * @param instrumented      the JDK and application types Vigil rewrote
 * @param selfTest          {@code passed}, or what failed
 * @param hooksClassLoader  {@code bootstrap} when the hook classes sit where JDK code can see them
 * @param truncated         what was dropped to keep memory bounded, by counter name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentInfo(
        String version,
        long internalErrors,
        List<String> errorSamples,
        List<String> instrumented,
        String selfTest,
        String hooksClassLoader,
        Map<String, Long> truncated) {

    public AgentInfo {
        errorSamples = errorSamples == null ? List.of() : List.copyOf(errorSamples);
        instrumented = instrumented == null ? List.of() : List.copyOf(instrumented);
        truncated = truncated == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(truncated));
    }
}
