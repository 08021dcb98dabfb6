package dev.vigil.report.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.SuppressedFinding;
import dev.vigil.report.model.ThreadLifetime;
import dev.vigil.report.model.ThreadRef;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every command may rely on in a report it reads: checked once, on the way in, so that a
 * malformed file gets one sentence naming the first bad place ({@code findings[0]: no fingerprint})
 * and never a stack trace or a half-written output.
 *
 * <p>Checked: no {@code null} inside any list; {@code severity} one of {@code error},
 * {@code warning}, {@code info}; each finding has a non-empty {@code kind} and {@code fingerprint}
 * and a {@code title} and {@code message}; each suppressed finding a {@code fingerprint};
 * each stack frame a {@code class} and {@code method}. Everything else may be absent.
 */
public final class ReportValidation {

    static final String FINDING_NEEDS = "every finding needs kind, severity, fingerprint, title and message";

    private ReportValidation() {
    }

    /** Before binding: the tree has no null in any list and only known severities. */
    static void checkTree(JsonNode root, String name) throws ReportFormatException {
        walk(root, "", name, false);
    }

    private static void walk(JsonNode node, String path, String name, boolean inDetails) throws ReportFormatException {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode e = node.get(i);
                String p = path + "[" + i + "]";
                if (e == null || e.isNull()) {
                    throw new ReportFormatException(name + ": " + p + " is null (a list holds no nulls)");
                }
                walk(e, p, name, inDetails);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (!inDetails && "severity".equals(f.getKey()) && !f.getValue().isNull()) {
                    String s = f.getValue().isTextual() ? f.getValue().asText().toLowerCase(Locale.ROOT) : "";
                    if (!List.of("error", "warning", "info").contains(s)) {
                        throw new ReportFormatException(name + ": " + p + " is " + shortText(f.getValue())
                                + " (expected \"error\", \"warning\" or \"info\")");
                    }
                }
                walk(f.getValue(), p, name, inDetails || "details".equals(f.getKey()));
            }
        }
    }

    private static String shortText(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 39) + "\u2026" : s;
    }

    /** After binding (or building from a recording): the fields every command relies on. */
    public static void check(Report r, String name) throws ReportFormatException {
        List<Finding> findings = r.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String at = name + ": findings[" + i + "]";
            String missing = blank(f.kind()) ? "kind" : f.severity() == null ? "severity" : blank(f.fingerprint())
                    ? "fingerprint" : f.title() == null ? "title" : f.message() == null ? "message" : null;
            if (missing != null) {
                throw new ReportFormatException(at + " has no " + missing + " (" + FINDING_NEEDS + ")");
            }
            for (int j = 0; j < f.sites().size(); j++) {
                frames(f.sites().get(j).frames(), at + ".sites[" + j + "].frames");
            }
            for (int j = 0; j < f.threads().size(); j++) {
                ThreadRef t = f.threads().get(j);
                frames(t.stack(), at + ".threads[" + j + "].stack");
            }
        }
        List<SuppressedFinding> suppressed = r.suppressed();
        for (int i = 0; i < suppressed.size(); i++) {
            if (blank(suppressed.get(i).fingerprint())) {
                throw new ReportFormatException(name + ": suppressed[" + i + "] has no fingerprint");
            }
        }
        List<ThreadLifetime> threads = r.threads();
        for (int i = 0; i < threads.size(); i++) {
            Site s = threads.get(i).startSite();
            if (s != null) {
                frames(s.frames(), name + ": threads[" + i + "].startSite.frames");
            }
        }
    }

    private static void frames(List<Frame> frames, String at) throws ReportFormatException {
        for (int k = 0; k < frames.size(); k++) {
            Frame fr = frames.get(k);
            if (fr.className() == null || fr.method() == null) {
                throw new ReportFormatException(at + "[" + k + "] has no " + (fr.className() == null ? "class" : "method")
                        + " (every stack frame needs class and method)");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
