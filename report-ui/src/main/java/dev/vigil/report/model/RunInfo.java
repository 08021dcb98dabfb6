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
        Map<String, String> options) {

    public RunInfo {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
