package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How much a finding will hurt; ordered from most to least severe. */
public enum Severity {
    ERROR, WARNING, INFO;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Severity parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
