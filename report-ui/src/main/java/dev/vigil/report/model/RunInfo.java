package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run the report describes.
 *
 * @param trigger why this report was written: {@code exit}, {@code exit-blocked} (main returned
 *                but non-daemon threads keep the JVM alive), {@code periodic}, {@code deadlock},
 *                {@code on-demand}
 * @param options the agent options in effect, after defaults
 * @param mode    how Vigil was loaded: {@code startup} ({@code -javaagent}) or {@code attach}
 *                (loaded into a running JVM; {@code start} is then the attach time and nothing
 *                that happened before it was seen); null in reports that do not know
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunInfo(
        long pid,
        String command,
        String jvm,
        String javaVersion,
        String start,
        String end,
        String trigger,
        Map<String, String> options,
        String mode) {

    public RunInfo {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** A run whose load mode is not known. */
    public RunInfo(long pid, String command, String jvm, String javaVersion, String start, String end, String trigger,
                   Map<String, String> options) {
        this(pid, command, jvm, javaVersion, start, end, trigger, options, null);
    }
}
