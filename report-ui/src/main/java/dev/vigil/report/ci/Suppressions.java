package dev.vigil.report.ci;

import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Site;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Findings a team has decided to ignore, one rule a line:
 * <pre>
 * # comment (also after a rule)
 * fingerprint 3f2a9c01d4e5b6a7   one finding (its fingerprint in the report)
 * kind queue-growth              every finding of a kind
 * frame com.acme.legacy.*        every finding with a frame, in any site, whose class.method matches
 * </pre>
 * Patterns use {@code *} (any characters) and {@code ?} (one character) over {@code class.method}.
 */
public final class Suppressions {

    /** One rule; {@code source} is {@code file:line: rule} for the report. */
    private record Rule(String type, String value, Pattern frame, String source) {

        boolean matches(Finding f) {
            return switch (type) {
                case "fingerprint" -> value.equals(f.fingerprint());
                case "kind" -> value.equals(f.kind());
                default -> anyFrame(f);
            };
        }

        private boolean anyFrame(Finding f) {
            for (Site s : f.sites()) {
                for (Frame fr : s.frames()) {
                    if (frame.matcher(fr.className() + "." + fr.method()).matches()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");

    private final List<Rule> rules;

    private Suppressions(List<Rule> rules) {
        this.rules = rules;
    }

    public static Suppressions none() {
        return new Suppressions(List.of());
    }

    public static Suppressions read(Path file) throws CiFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CiFileException(file + ": no such file");
        } catch (IOException e) {
            throw new CiFileException(file + ": cannot read: " + e.getMessage());
        }
        return parse(lines, file.getFileName().toString());
    }

    public static Suppressions parse(List<String> lines, String name) throws CiFileException {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash < 0 ? line : line.substring(0, hash)).trim();
            if (text.isEmpty()) {
                continue;
            }
            String where = name + ":" + (i + 1);
            String[] parts = text.split("\\s+");
            if (parts.length != 2) {
                throw new CiFileException(where + ": expected '<fingerprint|kind|frame> <value>', got '" + text + "'");
            }
            String type = parts[0];
            String value = parts[1];
            switch (type) {
                case "fingerprint" -> {
                    if (!HEX16.matcher(value).matches()) {
                        throw new CiFileException(where + ": '" + value + "' is not a fingerprint (16 hex digits, as in the report)");
                    }
                    rules.add(new Rule(type, value, null, where + ": " + text));
                }
                case "kind" -> {
                    if (!FindingKinds.ALL.contains(value)) {
                        throw new CiFileException(where + ": unknown finding kind '" + value + "'; kinds: "
                                + String.join(", ", FindingKinds.ALL));
                    }
                    rules.add(new Rule(type, value, null, where + ": " + text));
                }
                case "frame" -> rules.add(new Rule(type, value, glob(value), where + ": " + text));
                default -> throw new CiFileException(where + ": unknown rule '" + type
                        + "'; use fingerprint, kind or frame");
            }
        }
        return new Suppressions(List.copyOf(rules));
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** The rule that suppresses {@code f} ({@code file:line: rule}), or null. */
    public String match(Finding f) {
        for (Rule r : rules) {
            if (r.matches(f)) {
                return r.source();
            }
        }
        return null;
    }

    public int size() {
        return rules.size();
    }
}
