package dev.vigil.report.html;

import static dev.vigil.report.html.Html.escape;

import dev.vigil.report.json.AtomicFiles;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.ExecutorSummary;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.QueueSummary;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.SemaphoreSummary;
import dev.vigil.report.model.Severity;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link Report} as one self-contained HTML page.
 *
 * <p>The run summary and the counts are rendered here, every report string through
 * {@link Html#escape}. The findings, the lock graphs and the thread timeline are drawn in the
 * browser by {@code report.js} from the report embedded as JSON in a
 * {@code <script type="application/json">} block (see {@link ScriptSafeWriter}); the script only ever puts
 * report strings into the page with {@code textContent}, so they stay text.
 *
 * <p>The Content-Security-Policy allows exactly the page's own script and style, by hash, and
 * nothing else: no network load of any kind, no other inline script.
 */
public final class HtmlReport {

    public static final String FILE_NAME = "vigil-report.html";

    static final String SCRIPT = resource("report.js");
    static final String STYLE = resource("report.css");

    /**
     * The page's policy allows its own script and style only, by hash. The hashes are computed when
     * the resources change ({@code report.hashes}, checked by HtmlReportTest), not here: SHA-256 in
     * the interpreter and the security providers' first use were a quarter of an empty program's
     * exit report.
     */
    static final String CSP = "default-src 'none'; script-src '" + recordedHash("script") + "'; style-src '"
            + recordedHash("style") + "'; img-src data:; form-action 'none'; base-uri 'none'";

    private HtmlReport() {
    }

    /** Writes the page to {@code file}, replacing it atomically; streams, so a large report is never held twice. */
    public static void writeAtomically(Report report, Path file) throws IOException {
        AtomicFiles.replace(file, out -> write(report, out));
    }

    public static String render(Report report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32_768);
        try {
            write(report, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Writes the page to {@code out} (UTF-8) and flushes; leaves {@code out} open. */
    public static void write(Report report, OutputStream out) throws IOException {
        List<Finding> sorted = new ArrayList<>(report.findings());
        sorted.sort(Report.SEVERITY_ORDER);
        Report ordered = report.withFindings(sorted);

        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Vigil report").append(titleSuffix(ordered.run())).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
        header(h, ordered);
        h.append("<noscript><p class=\"note\">The findings and the timeline need JavaScript; "
                + "the same data is in vigil-report.json.</p></noscript>\n");
        h.append("<p id=\"page-error\" class=\"page-error\" hidden></p>\n");
        h.append("<section id=\"findings\"><h2>Findings</h2><div id=\"finding-controls\" class=\"controls\"></div>"
                + "<div id=\"finding-list\"></div></section>\n");
        executors(h, ordered);
        queues(h, ordered);
        semaphores(h, ordered);
        h.append("<section id=\"timeline\"><h2>Thread timeline</h2><div id=\"timeline-body\"></div></section>\n");
        if (!ordered.tasks().isEmpty()) {
            h.append("<section id=\"tasks\"><h2>Task timeline</h2><div id=\"tasks-body\"></div></section>\n");
        }
        h.append("<script type=\"application/json\" id=\"vigil-data\">");

        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.append(h);
        ReportJson.writeCompact(ordered, new ScriptSafeWriter(w));
        w.append("</script>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        w.flush();
    }

    /**
     * Makes JSON safe inside a {@code <script>} element: no {@code <}, {@code >} or {@code &} can
     * close it or open a comment, and U+2028/U+2029 cannot end a line. These characters only occur
     * inside JSON strings, where their {@code \\u} escapes mean the same.
     */
    static final class ScriptSafeWriter extends FilterWriter {

        ScriptSafeWriter(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            switch (c) {
                case '<' -> out.write("\\u003c");
                case '>' -> out.write("\\u003e");
                case '&' -> out.write("\\u0026");
                case '\u2028' -> out.write("\\u2028");
                case '\u2029' -> out.write("\\u2029");
                default -> out.write(c);
            }
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            int run = off;
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                    out.write(buf, run, i - run);
                    write(c);
                    run = i + 1;
                }
            }
            out.write(buf, run, off + len - run);
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            write(s.toCharArray(), off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    private static String titleSuffix(RunInfo run) {
        return run == null || run.command() == null ? "" : " · " + escape(run.command());
    }

    private static void header(StringBuilder h, Report r) {
        h.append("<header id=\"summary\"><h1>Vigil report</h1>\n");
        RunInfo run = r.run();
        if (run != null) {
            h.append("<dl class=\"run\">");
            dt(h, "Command", run.command());
            dt(h, "JVM", run.jvm() == null ? null
                    : run.jvm() + (run.javaVersion() == null ? "" : " (Java " + run.javaVersion() + ")"));
            dt(h, "PID", run.pid());
            dt(h, "Started", run.start());
            dt(h, "Report written", run.end());
            dt(h, "Duration", duration(run.start(), run.end()));
            dt(h, "Trigger", run.trigger());
            h.append("</dl>\n");
        }
        counts(h, r);
        agent(h, r.agent());
        h.append("</header>\n");
    }

    /** The application's executors still reachable at report time, when the report has them. */
    private static void executors(StringBuilder h, Report r) {
        if (r.executors().isEmpty()) {
            return;
        }
        h.append("<section id=\"executors\"><h2>Executors</h2><table class=\"executors\"><thead><tr>")
                .append("<th>Created at</th><th>Type</th><th>State</th><th>Worker threads</th><th>Running tasks</th>")
                .append("<th>Queued tasks</th><th>Created</th></tr></thead><tbody>");
        for (ExecutorSummary e : r.executors()) {
            h.append("<tr data-executor=\"").append(e.id()).append("\"><td><code>").append(escape(e.createdAt()))
                    .append("</code></td><td>").append(escape(e.type())).append("</td><td>")
                    .append(e.shutdown() == null ? "<b>never shut down</b>" : "shut down " + escape(e.shutdown()))
                    .append("</td><td>").append(figure(e.workerThreads())).append("</td><td>")
                    .append(figure(e.activeTasks())).append("</td><td>").append(figure(e.queuedTasks()))
                    .append("</td><td>").append(escape(e.created()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    /** An executor figure; negative when Vigil could not read it without running the application's code. */
    private static String figure(long value) {
        return value < 0 ? "<span title=\"read only through the application's own code\">unknown</span>"
                : Long.toString(value);
    }

    /** The application's blocking queues still reachable at report time, when the report has them. */
    private static void queues(StringBuilder h, Report r) {
        if (r.queues().isEmpty()) {
            return;
        }
        h.append("<section id=\"queues\"><h2>Queues</h2><table class=\"queues\"><thead><tr>")
                .append("<th>Created at</th><th>Type</th><th>Capacity</th><th>Size</th><th>High-water mark</th>")
                .append("<th>Producers</th><th>Consumers</th></tr></thead><tbody>");
        for (QueueSummary q : r.queues()) {
            String where = q.createdAt() != null ? q.createdAt()
                    : q.firstUsedAt() == null ? "" : "first used at " + q.firstUsedAt();
            h.append("<tr data-queue=\"").append(q.id()).append("\"><td><code>").append(escape(where))
                    .append("</code></td><td>").append(escape(q.type())).append("</td><td>")
                    .append(q.capacity() == null ? "unbounded" : String.valueOf(q.capacity())).append("</td><td>")
                    .append(q.size()).append("</td><td>").append(q.highWaterMark()).append("</td><td>");
            parties(h, q.producers());
            h.append("</td><td>");
            parties(h, q.consumers());
            h.append("</td></tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    /** The application's semaphores still reachable at report time, when the report has them. */
    private static void semaphores(StringBuilder h, Report r) {
        if (r.semaphores().isEmpty()) {
            return;
        }
        h.append("<section id=\"semaphores\"><h2>Semaphores</h2><table class=\"semaphores\"><thead><tr>")
                .append("<th>Semaphore</th><th>Created at</th><th>First used at</th><th>Free</th><th>Held</th><th>Held by ended threads</th>")
                .append("<th>Waiting</th><th>Acquisitions</th><th>Releases</th><th>Over-releases</th></tr></thead><tbody>");
        for (SemaphoreSummary s : r.semaphores()) {
            h.append("<tr data-semaphore=\"").append(escape(s.semaphore())).append("\"><td>").append(escape(s.semaphore()))
                    .append("</td><td>").append(s.createdAt() == null ? "<i>not seen</i>"
                            : "<code>" + escape(s.createdAt()) + "</code>")
                    .append("</td><td><code>").append(escape(s.firstUsedAt())).append("</code></td><td>")
                    .append(s.available()).append(" of ").append(s.limit()).append("</td><td>").append(s.held())
                    .append("</td><td>").append(s.heldByEnded() == 0 ? "0" : "<b>" + s.heldByEnded() + "</b>")
                    .append("</td><td>").append(s.waiting()).append("</td><td>").append(s.acquisitions())
                    .append("</td><td>").append(s.releases()).append("</td><td>")
                    .append(s.overReleases() == 0 ? "0" : "<b>" + s.overReleases() + "</b>").append("</td></tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    private static void parties(StringBuilder h, List<QueueSummary.Party> parties) {
        if (parties.isEmpty()) {
            h.append("<i>none seen</i>");
            return;
        }
        for (int i = 0; i < parties.size(); i++) {
            QueueSummary.Party p = parties.get(i);
            h.append(i == 0 ? "" : "<br>").append("<span class=\"party ").append(p.alive() ? "alive" : "ended")
                    .append("\">").append(escape(p.thread())).append(p.alive() ? " (alive)" : " <b>(ended)</b>")
                    .append("</span>");
        }
    }

    private static void counts(StringBuilder h, Report r) {
        h.append("<div class=\"counts\"><p class=\"totals\"><span id=\"total-findings\">")
                .append(r.findings().size()).append("</span> finding").append(r.findings().size() == 1 ? "" : "s");
        for (Severity s : Severity.values()) {
            h.append(" <span class=\"sev ").append(s.label()).append("\" data-count-severity=\"").append(s.label())
                    .append("\">").append(r.count(s)).append(' ').append(s.label()).append("</span>");
        }
        h.append("</p>\n");
        Map<String, long[]> byKind = new TreeMap<>();
        for (Finding f : r.findings()) {
            byKind.computeIfAbsent(f.kind(), k -> new long[Severity.values().length])[f.severity().ordinal()]++;
        }
        if (!byKind.isEmpty()) {
            h.append("<table class=\"by-kind\"><thead><tr><th>Kind</th>");
            for (Severity s : Severity.values()) {
                h.append("<th>").append(s.label()).append("</th>");
            }
            h.append("<th>total</th></tr></thead><tbody>");
            for (Map.Entry<String, long[]> e : byKind.entrySet()) {
                long total = 0;
                h.append("<tr data-count-kind=\"").append(escape(e.getKey())).append("\"><td><code>")
                        .append(escape(e.getKey())).append("</code></td>");
                for (long n : e.getValue()) {
                    total += n;
                    h.append("<td>").append(n == 0 ? "" : Long.toString(n)).append("</td>");
                }
                h.append("<td class=\"total\">").append(total).append("</td></tr>");
            }
            h.append("</tbody></table>\n");
        }
        h.append("</div>\n");
    }

    private static void agent(StringBuilder h, AgentInfo a) {
        if (a == null) {
            return;
        }
        boolean healthy = "passed".equals(a.selfTest()) && a.internalErrors() == 0;
        h.append("<div id=\"agent-health\" class=\"agent ").append(healthy ? "healthy" : "unhealthy")
                .append("\"><p>Vigil ").append(escape(a.version()))
                .append(" · self-test: <b>").append(escape(a.selfTest())).append("</b>")
                .append(" · internal errors: <b>").append(a.internalErrors()).append("</b>");
        if (a.hooksClassLoader() != null) {
            h.append(" · hooks loaded by: ").append(escape(a.hooksClassLoader()));
        }
        long dropped = 0;
        for (Long n : a.truncated().values()) {
            dropped += n == null ? 0 : n;
        }
        h.append(dropped == 0 ? " · nothing truncated" : "").append("</p>");
        if (dropped > 0) {
            h.append("<p class=\"truncated\">Dropped to bound memory:");
            for (Map.Entry<String, Long> t : a.truncated().entrySet()) {
                if (t.getValue() != null && t.getValue() > 0) {
                    h.append(" <span>").append(escape(t.getKey())).append(" ").append(t.getValue()).append("</span>");
                }
            }
            h.append("</p>");
        }
        if (!a.errorSamples().isEmpty()) {
            h.append("<details><summary>").append(a.errorSamples().size()).append(" internal error sample(s)</summary><ul>");
            for (String e : a.errorSamples()) {
                h.append("<li><code>").append(escape(e)).append("</code></li>");
            }
            h.append("</ul></details>");
        }
        if (!a.instrumented().isEmpty()) {
            Long rewritten = a.classes().get("rewritten");
            Long unchanged = a.classes().get("scannedUnchanged");
            h.append("<details><summary>Instrumented: ")
                    .append(rewritten != null ? rewritten + " classes rewritten" : a.instrumented().size() + " types");
            if (unchanged != null) {
                h.append(", ").append(unchanged).append(" application classes scanned, nothing to instrument");
            }
            h.append("</summary><p>");
            for (String t : a.instrumented()) {
                h.append("<code>").append(escape(t)).append("</code> ");
            }
            h.append("</p></details>");
        }
        h.append("</div>\n");
    }

    private static void dt(StringBuilder h, String name, Object value) {
        if (value != null) {
            h.append("<dt>").append(name).append("</dt><dd>").append(escape(value)).append("</dd>");
        }
    }

    /** {@code 3.2 s} or {@code 2 min 5 s}; null when either end is missing or not an instant. */
    static String duration(String start, String end) {
        if (start == null || end == null) {
            return null;
        }
        try {
            Duration d = Duration.between(Instant.parse(start), Instant.parse(end));
            if (d.isNegative()) {
                return null;
            }
            long ms = d.toMillis();
            if (ms < 60_000) {
                long tenths = (ms + 50) / 100; // not String.format: its first use was 16 ms of an exit report
                return tenths / 10 + "." + tenths % 10 + " s";
            }
            long s = ms / 1000;
            return s / 3600 > 0 ? s / 3600 + " h " + (s % 3600) / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The hash {@code report.hashes} records for {@code what} ({@code script} or {@code style}). */
    static String recordedHash(String what) {
        for (String line : resource("report.hashes").split("\n")) {
            if (line.startsWith(what + " ")) {
                return line.substring(what.length() + 1).trim();
            }
        }
        throw new IllegalStateException("report.hashes has no " + what + " hash");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + HtmlReport.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
