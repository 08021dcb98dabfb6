package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A place in the code that matters to a finding: where a thread was started, where a lock was
 * taken. {@code location} is the first application frame ({@code File.java:42}), the line to fix;
 * {@code frames} is the whole stack, innermost first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Site(String role, String location, List<Frame> frames) {

    public Site {
        frames = frames == null ? List.of() : List.copyOf(frames);
    }
}
