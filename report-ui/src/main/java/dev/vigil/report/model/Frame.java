package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One stack frame. {@code app} marks frames of the application (not the JDK, not Vigil, and
 * inside the {@code include} patterns): those are the frames a user edits.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Frame(
        @JsonProperty("class") String className,
        String method,
        String file,
        int line,
        boolean app) {

    /** {@code File.java:42}, or the class name when the file is unknown. */
    public String location() {
        if (file == null) {
            return className + "." + method;
        }
        return line > 0 ? file + ":" + line : file;
    }

    @Override
    public String toString() {
        return className + "." + method + "(" + (file == null ? "Unknown Source" : location()) + ")";
    }
}
