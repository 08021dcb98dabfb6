package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A thread involved in a finding, as it was when the report was written: its state and what it
 * was doing ({@code stack}, innermost first). {@code alive} is false for a thread that had ended.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThreadRef(long id, String name, boolean daemon, boolean alive, String state, List<Frame> stack) {

    public ThreadRef {
        stack = stack == null ? List.of() : List.copyOf(stack);
    }
}
