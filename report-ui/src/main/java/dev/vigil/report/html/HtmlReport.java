package dev.vigil.report.html;

import static dev.vigil.report.html.Html.escape;

import dev.vigil.report.json.AtomicFiles;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Report} as one self-contained HTML page: no network, styles inline, every
 * report string escaped, and a Content-Security-Policy that forbids loading anything.
 */
public final class HtmlReport {

    public static final String FILE_NAME = "vigil-report.html";

    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "form-action 'none'; base-uri 'none'";

    private HtmlReport() {
    }

    public static void writeAtomically(Report report, Path file) throws IOException {
        byte[] bytes = render(report).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.replace(file, out -> out.write(bytes));
    }

    public static String render(Report report) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Vigil report</title><style>").append(STYLE).append("</style></head><body>\n");
        summary(h, report);
        h.append("<section id=\"findings\"><h2>Findings</h2>\n");
        List<Finding> findings = new ArrayList<>(report.findings());
        findings.sort(Report.SEVERITY_ORDER);
        if (findings.isEmpty()) {
            h.append("<p class=\"none\">No findings.</p>\n");
        }
        for (Finding f : findings) {
            finding(h, f);
        }
        h.append("</section>\n</body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, Report r) {
        h.append("<header><h1>Vigil report</h1>");
        if (r.run() != null) {
            h.append("<dl class=\"run\">");
            dt(h, "Command", r.run().command());
            dt(h, "PID", r.run().pid());
            dt(h, "JVM", r.run().jvm());
            dt(h, "Started", r.run().start());
            dt(h, "Report written", r.run().end());
            dt(h, "Trigger", r.run().trigger());
            h.append("</dl>");
        }
        h.append("<p class=\"counts\">");
        for (Severity s : Severity.values()) {
            h.append("<span class=\"sev ").append(s.label()).append("\" data-severity=\"").append(s.label())
                    .append("\">").append(r.count(s)).append(' ').append(s.label()).append("</span> ");
        }
        h.append("</p>");
        if (r.agent() != null) {
            h.append("<p class=\"agent\">Vigil ").append(escape(r.agent().version()))
                    .append(" · self-test: ").append(escape(r.agent().selfTest()))
                    .append(" · internal errors: ").append(r.agent().internalErrors());
            for (Map.Entry<String, Long> t : r.agent().truncated().entrySet()) {
                if (t.getValue() > 0) {
                    h.append(" · ").append(escape(t.getKey())).append(": ").append(t.getValue());
                }
            }
            h.append("</p>");
        }
        h.append("</header>\n");
    }

    private static void dt(StringBuilder h, String name, Object value) {
        if (value != null) {
            h.append("<dt>").append(name).append("</dt><dd>").append(escape(value)).append("</dd>");
        }
    }

    private static void finding(StringBuilder h, Finding f) {
        h.append("<article class=\"finding\" data-kind=\"").append(escape(f.kind()))
                .append("\" data-severity=\"").append(f.severity().label()).append("\">")
                .append("<h3><span class=\"sev ").append(f.severity().label()).append("\">")
                .append(f.severity().label()).append("</span> <code>").append(escape(f.kind())).append("</code> ")
                .append(escape(f.title())).append("</h3>")
                .append("<p>").append(escape(f.message())).append("</p>");
        if (f.howToFix() != null) {
            h.append("<p class=\"fix\"><b>How to fix:</b> ").append(escape(f.howToFix())).append("</p>");
        }
        for (Site s : f.sites()) {
            h.append("<details open><summary>").append(escape(s.role())).append(" at <code>")
                    .append(escape(s.location())).append("</code></summary>");
            stack(h, s.frames());
            h.append("</details>");
        }
        if (!f.threads().isEmpty()) {
            h.append("<details><summary>").append(f.threads().size()).append(" thread(s)</summary><ul class=\"threads\">");
            for (ThreadRef t : f.threads()) {
                h.append("<li><b>").append(escape(t.name())).append("</b> #").append(t.id())
                        .append(t.daemon() ? " daemon" : "").append(" · ").append(escape(t.state()));
                stack(h, t.stack());
                h.append("</li>");
            }
            h.append("</ul></details>");
        }
        h.append("<p class=\"fp\">fingerprint <code>").append(escape(f.fingerprint())).append("</code></p></article>\n");
    }

    private static void stack(StringBuilder h, List<Frame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        h.append("<pre class=\"stack\">");
        for (Frame fr : frames) {
            h.append(fr.app() ? "<b>" : "<span class=\"jdk\">").append("at ").append(escape(fr))
                    .append(fr.app() ? "</b>" : "</span>").append('\n');
        }
        h.append("</pre>");
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1d2329}
            h1{margin:.2rem 0}dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}
            dt{font-weight:600}dd{margin:0}.sev{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:.8rem;font-weight:700;text-transform:uppercase}
            .sev.error{background:#fde2e1;color:#a4161a}.sev.warning{background:#fff1cc;color:#7a5200}.sev.info{background:#e1ecfd;color:#1c4f9c}
            article.finding{border:1px solid #d8dee4;border-radius:.5rem;padding:.4rem 1rem;margin:.8rem 0}
            pre.stack{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:12px}.jdk{color:#6a737d}
            .fp{color:#6a737d;font-size:12px}
            """;
}
